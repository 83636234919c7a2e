"""The candidate's side of the demo: a finalist's private link and a job seeker's own kit.

Called by ``secondround.demo.load()`` after the demo organisation exists. Built with the
real services. The demo link's token is fixed so it can be written in the docs; real links
are random and shown once.
"""

from __future__ import annotations

from django.db import transaction

from secondround.accounts.models import Role, User
from secondround.accounts.services import create_user
from secondround.hiring.models import Application
from secondround.prep import access, services
from secondround.prep import content as kit_texts
from secondround.prep.models import InviteLink

DEMO_FINALIST = "Aisha Bello"
DEMO_LINK_TOKEN = "prep_demo-aisha-bello-kestrel"  # opens /prep/i/prep_demo-aisha-bello-kestrel/
DEMO_LINK_DAYS = 60
DEMO_JOB_SEEKER = ("robin@seeker.example", "Robin Vega")

DEMO_POSTING = """Senior Backend Engineer – Payments
Lumen Pay · Berlin or remote (EU)

About us
Lumen Pay helps independent shops take card payments without the paperwork. Our mission is to make getting paid the easiest part of running a small business.

What you'll do
- Design, build and run the services that authorise and settle card payments
- Review pull requests and keep our test suite fast and trustworthy
- Take part in the on-call rotation and lead incident reviews
- Break large projects into small, safe releases behind feature flags
- Mentor two mid-level engineers

What you'll bring
- 5+ years building backend services in Python, Go or Java
- Experience designing APIs and data models that handle money correctly
- Comfortable debugging production issues across several services

Our values
Ownership, candour, and customers first. We are curious and we learn in the open.

What we offer
- Learning budget of 2,000 EUR a year
"""
DEMO_STORY = {
    "title": "Slow Monday checkouts",
    "kind": "challenge",
    "situation": "At Acme Retail our checkout API timed out every Monday morning at peak.",
    "task": "As the on-call engineer I had to find the cause before the next Monday.",
    "action": (
        "I reproduced the load with a script, read the slow-query log, found a missing index "
        "on the orders table, added it behind a migration and wrote a test that fails on slow "
        "queries."
    ),
    "result": "p95 latency fell from 900 to 120 ms and the Monday timeouts stopped.",
    "learned": "Reproduce first; change one thing at a time; leave a test behind.",
}
DEMO_ANSWER = (
    "Last spring at Acme Retail our checkout API started timing out every Monday. My task was "
    "to find the cause before the next peak. I reproduced the load with a script, I read the "
    "slow-query log and I found a missing index on the orders table. I added the index and a "
    "test that fails on slow queries. As a result, p95 latency fell from 900 to 120 ms."
)


@transaction.atomic
def load_demo(*, password: str) -> None:
    """Add the candidate's side to the demo organisation (the job seeker signs in with the
    demo's `password`, passed down by `secondround.demo`). Safe to call twice."""
    _finalist_link()
    _job_seeker_kit(password)


def _finalist_link() -> None:
    if InviteLink.objects.filter(token_hash=access.token_hash(DEMO_LINK_TOKEN)).exists():
        return
    application = Application.objects.select_related("position").get(
        candidate__full_name=DEMO_FINALIST, position__title="Senior software engineer"
    )
    recruiter = application.position.recruiters.order_by("pk").first()
    services.create_invite_link(
        actor=recruiter or application.position.hiring_manager,
        application=application,
        days=DEMO_LINK_DAYS,
        token=DEMO_LINK_TOKEN,
    )
    # In the demo's story Aisha has used her page (the portal's demo has her questions and
    # adjustments), so her link shows one open, counted as her browser would report it.
    services.record_invitation_open(token=DEMO_LINK_TOKEN)


def _job_seeker_kit(password: str) -> None:
    email, name = DEMO_JOB_SEEKER
    if User.objects.filter(email=email).exists():
        return
    seeker = create_user(
        email=email,
        full_name=name,
        password=password,
        role=Role.JOB_SEEKER,
        check_password=False,
    )
    kit, _key = services.create_posting_kit(
        posting_text=DEMO_POSTING, company_name="Lumen Pay", owner=seeker
    )
    content = kit_texts.kit_content(kit)
    services.save_story(
        kit=kit,
        content=content,
        fields=DEMO_STORY,
        competencies=["Debugging unclear problems", "Calm under incident pressure"],
    )
    for suggestion in kit_texts.suggested_questions(content, [])[:3]:
        services.add_question(kit=kit, text=suggestion.text, topic=suggestion.topic)
    debugging = kit_texts.competency_brief(content, "Debugging unclear problems")
    if debugging and debugging.questions:
        services.record_attempt(
            kit=kit,
            content=content,
            question=debugging.questions[0].text,
            competency=debugging.name,
            answer=DEMO_ANSWER,
            seconds=70,
        )
