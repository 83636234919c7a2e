"""The candidate's preparation kit: links, access, no leakage, stories, questions, practice, PDF."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondround.accounts.models import Role, User
from secondround.hiring.models import Application, Position, Stage
from secondround.loops.models import ClarificationItem, LoopPlan
from secondround.prep import content as kit_texts
from secondround.prep import progress as prep_progress
from secondround.prep import services
from secondround.prep.models import InviteLink, KitSource, PrepKit, Story
from secondround.questions.models import QuestionType
from secondround.scorecards.models import Rating
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import UserFactory, make_application
from tests.prep.test_posting import BACKEND_POSTING

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

GOOD_ANSWER = (
    "Last spring at my previous job our booking service started timing out every Monday. "
    "My task was to find the cause before the next peak. I reproduced the load with a script, "
    "I read the slow-query log and I found a missing index on the appointments table. "
    "I added the index and a test that fails on slow queries. As a result, the p95 latency "
    "fell from 900 to 120 milliseconds and the timeouts stopped."
)


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


@pytest.fixture
def jordan(engineering: Position) -> Application:
    return engineering.applications.get(candidate__full_name="Jordan Ellis")


def rita() -> User:
    return User.objects.get(email="rita@kestrel.example")


def open_link(client: Client, token: str) -> PrepKit:
    response = client.get(reverse("prep-invitation", args=[token]) + "?to=kit")
    assert response.status_code == 302, response.status_code
    public_id = response["Location"].rstrip("/").split("/")[-1]
    return PrepKit.objects.get(public_id=public_id)


# --- invitation links ------------------------------------------------------------------------


def test_link_token_is_stored_hashed_and_opens_the_finalists_kit(jordan: Application) -> None:
    link, token = services.create_invite_link(actor=rita(), application=jordan)
    assert token.startswith("prep_") and len(token) > 40
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not InviteLink.objects.filter(token_hash=token).exists()
    assert link.prefix == token[:10]
    assert timezone.now() + timedelta(days=13) < link.expires_at

    kit = open_link(Client(), token)
    assert kit.source == KitSource.INVITATION and kit.application == jordan
    link.refresh_from_db()
    # Fetching the link counts no open (the portal page reports one: tests/prep/test_link_opens.py).
    assert link.times_opened == 0 and link.last_opened_at is None
    # A second link for the same finalist opens the same kit: their work is kept.
    _link2, token2 = services.create_invite_link(actor=rita(), application=jordan, days=3)
    assert open_link(Client(), token2) == kit


def test_links_are_for_the_hiring_team_of_finalists_only(
    engineering: Position, jordan: Application
) -> None:
    outsider_recruiter = User.objects.get(email="sam@kestrel.example")  # recruits for product
    with pytest.raises(PermissionDenied):
        services.create_invite_link(actor=outsider_recruiter, application=jordan)
    with pytest.raises(PermissionDenied):
        services.create_invite_link(
            actor=User.objects.get(email="priya@kestrel.example"), application=jordan
        )
    daniel = engineering.applications.get(candidate__full_name="Daniel Kim")  # round one
    with pytest.raises(ValidationError) as error:
        services.create_invite_link(actor=rita(), application=daniel)
    assert "application" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_invite_link(actor=rita(), application=jordan, days=90)
    assert "days" in error.value.message_dict
    link, _token = services.create_invite_link(actor=rita(), application=jordan)
    with pytest.raises(PermissionDenied):
        services.revoke_invite_link(actor=outsider_recruiter, link=link)


def test_links_page_shows_the_link_once_and_refuses_others(jordan: Application) -> None:
    url = reverse("prep-links", args=[jordan.pk])
    recruiter = client_for(rita())
    assert recruiter.get(url).status_code == 200
    response = recruiter.post(url, {"days": 7})
    assert response.status_code == 200
    shown = re.search(r'id="new-link">([^<]+)<', response.content.decode())
    assert shown and "/prep/i/prep_" in shown.group(1)
    assert shown.group(1) not in recruiter.get(url).content.decode()  # shown only once
    assert client_for(User.objects.get(email="sam@kestrel.example")).get(url).status_code == 404
    assert client_for(User.objects.get(email="priya@kestrel.example")).get(url).status_code == 403
    seeker = UserFactory(role=Role.JOB_SEEKER)
    assert client_for(seeker).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_expired_revoked_and_unknown_links_are_refused(jordan: Application) -> None:
    expired, expired_token = services.create_invite_link(actor=rita(), application=jordan)
    InviteLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = Client().get(reverse("prep-invitation", args=[expired_token]))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()

    link, token = services.create_invite_link(actor=rita(), application=jordan)
    candidate = Client()
    kit = open_link(candidate, token)
    kit_url = reverse("prep-kit", args=[kit.public_id])
    assert candidate.get(kit_url).status_code == 200
    client_for(rita()).post(reverse("prep-link-revoke", args=[jordan.pk, link.pk]))
    # Revoking takes effect at once, also for a browser that already opened the kit.
    response = candidate.get(kit_url)
    assert response.status_code == 410
    assert "This link is no longer active" in response.content.decode()
    assert candidate.get(reverse("prep-invitation", args=[token])).status_code == 410
    assert Client().get(reverse("prep-invitation", args=["prep_nope"])).status_code == 404
    assert Client().get(kit_url).status_code == 404  # no link in this session at all


def test_the_kit_closes_when_the_finalist_is_rejected(jordan: Application) -> None:
    _link, token = services.create_invite_link(actor=rita(), application=jordan)
    from secondround.hiring.services import move_application

    move_application(
        actor=jordan.position.hiring_manager,
        application=jordan,
        to_stage=Stage.REJECTED,
        reason="Chose another finalist.",
        no_outcome_reason="Told by phone.",
    )
    # The kit closes with the outcome; the link still lands on the candidate's page, which
    # shows the outcome (prep/access.py: OPEN_PARTS).
    assert Client().get(reverse("prep-invitation", args=[token]) + "?to=kit").status_code == 410
    landing = Client().get(reverse("prep-invitation", args=[token]))
    assert landing.status_code == 302 and landing["Location"] == reverse("portal", args=[token])


# --- what the candidate sees -------------------------------------------------------------------


def _candidate_pages(client: Client, kit: PrepKit) -> str:
    pages = []
    for name in ("prep-kit", "prep-stories", "prep-ask", "prep-practice"):
        response = client.get(reverse(name, args=[kit.public_id]))
        assert response.status_code == 200, name
        pages.append(response.content.decode())
    return "\n".join(pages)


def test_invited_candidate_sees_the_real_position_but_nothing_internal(
    engineering: Position, jordan: Application
) -> None:
    _link, token = services.create_invite_link(actor=rita(), application=jordan)
    client = Client()
    kit = open_link(client, token)
    html = _candidate_pages(client, kit)
    text = re.sub(r"\s+", " ", html)

    for competency in engineering.competencies.all():
        assert competency.name in text
    plan = LoopPlan.objects.get(position=engineering)
    for session in plan.sessions.all():
        assert session.title in text
        for seat in session.seats.all():
            assert seat.interviewer.full_name in text
    assert "Kestrel Health" in text and "Patients first" in text

    def shown(snippet: str) -> bool:
        from django.utils.html import escape

        snippet = re.sub(r"\s+", " ", snippet.strip())
        return bool(snippet) and (snippet in text or escape(snippet) in text)

    leaks = []
    for rating in Rating.objects.filter(scorecard__application__position=engineering):
        if rating.notes and shown(rating.notes):
            leaks.append(("rating note", rating.notes))
    # Likely questions come from the bank by role and competency alone: every finalist gets
    # the same list, so a bank question that an interviewer also uses to clarify one
    # finalist's gap says nothing about that finalist.
    likely = {q.text for c in kit_texts.kit_content(kit).competencies for q in c.questions}
    aisha = engineering.applications.get(candidate__full_name="Aisha Bello")
    # The demo already made Aisha's kit (her questions in advance live in it).
    other, _made = PrepKit.objects.get_or_create(
        application=aisha, defaults={"source": KitSource.INVITATION}
    )
    assert likely == {
        q.text for c in kit_texts.kit_content(other).competencies for q in c.questions
    }
    items = ClarificationItem.objects.filter(application__position=engineering)
    assert items.exists()
    for item in items:
        for snippet in [item.summary, *(set(item.question_list) - likely)]:
            if shown(snippet):
                leaks.append(("clarification", snippet))
        for evidence in item.evidence:
            if evidence.get("notes") and shown(evidence["notes"]):
                leaks.append(("evidence", evidence["notes"]))
    for session in plan.sessions.all():
        if shown(session.purpose):
            leaks.append(("interviewer purpose", session.purpose))
        if session.scenario:
            for snippet in session.scenario.watch_for:
                if shown(snippet):
                    leaks.append(("watch for", snippet))
            for row in session.scenario.rubric:
                if shown(row["what_good_looks_like"]):
                    leaks.append(("rubric", row["what_good_looks_like"]))
    for competency in engineering.competencies.all():
        for point in (1, 2, 3, 5):
            if shown(getattr(competency, f"anchor_{point}")):
                leaks.append((f"anchor {point}", competency.name))
    for question in kit_texts.search_questions(type=QuestionType.CLARIFICATION):
        if shown(question.text):
            leaks.append(("clarification question", question.text))
    assert leaks == []
    for word in ("scorecard", "Rating", "rater", "leniency", "weight", "must-have", "Concern"):
        assert word not in text, word


def test_likely_questions_follow_the_competencies_and_skip_clarification(
    jordan: Application,
) -> None:
    kit = PrepKit.objects.create(source=KitSource.INVITATION, application=jordan)
    content = kit_texts.kit_content(kit)
    assert content.competencies and all(c.questions for c in content.competencies)
    pks = [q.pk for c in content.competencies for q in c.questions]
    assert len(pks) == len(set(pks))  # no question twice
    from secondround.questions.models import Question

    assert not Question.objects.filter(pk__in=pks, type=QuestionType.CLARIFICATION).exists()


def test_questions_to_ask_drop_what_the_company_profile_answers(jordan: Application) -> None:
    kit = PrepKit.objects.create(source=KitSource.INVITATION, application=jordan)
    content = kit_texts.kit_content(kit)
    topics = [s.topic for s in kit_texts.suggested_questions(content, [])]
    assert "career_progression" not in topics  # the demo profile answers it
    assert "professional_development" not in topics
    assert topics[0] == "first_90_days"
    assert "career_progression" in content.answered
    values = [
        s for s in kit_texts.suggested_questions(content, []) if s.topic == "values_day_to_day"
    ]
    assert "Patients first" in values[0].text


# --- a job seeker on their own -----------------------------------------------------------------


def test_job_seeker_builds_a_kit_without_an_account_and_keeps_it_with_one(db: None) -> None:
    seeker = Client()
    response = seeker.post(
        reverse("prep-home"),
        {"company_name": "Lumen Pay", "posting_text": BACKEND_POSTING, "company_text": ""},
    )
    assert response.status_code == 302
    kit = PrepKit.objects.get()
    assert kit.owner is None and kit.source == KitSource.POSTING
    assert kit.parsed["role_family"] == "software-engineer"
    kit_url = response["Location"]
    page = seeker.get(kit_url).content.decode()
    assert "Senior Backend Engineer" in page and "System design" in page
    assert "Design, build and run the services" in page
    # Someone else with the address only (no key in their session) gets nothing.
    assert Client().get(kit_url).status_code == 404
    # "Keep your work": an account of the job-seeker kind, logged in, owning the kit.
    response = seeker.post(
        reverse("prep-keep", args=[kit.public_id]),
        {
            "full_name": "Robin Vega",
            "email": "robin@mail.example",
            "password": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.owner is not None and kit.owner.role == Role.JOB_SEEKER
    other_browser = Client()
    other_browser.force_login(kit.owner)
    assert other_browser.get(kit_url).status_code == 200
    assert "Lumen Pay" in other_browser.get(reverse("prep-home")).content.decode()


def test_a_posting_without_responsibilities_or_requirements_is_refused(db: None) -> None:
    response = Client().post(reverse("prep-home"), {"posting_text": "Hello there"})
    assert response.status_code == 400  # refused, the form shown again
    assert "could not find the responsibilities" in response.content.decode()
    assert not PrepKit.objects.exists()


def test_job_seeker_accounts_see_no_hiring_data(engineering: Position) -> None:
    seeker = client_for(UserFactory(role=Role.JOB_SEEKER))
    assert seeker.get(reverse("home"))["Location"] == reverse("prep-home")
    assert seeker.get(reverse("position", args=[engineering.pk])).status_code == 404


# --- stories, questions, practice -------------------------------------------------------------


@pytest.fixture
def posting_kit(db: None) -> tuple[PrepKit, kit_texts.KitContent]:
    kit, _key = services.create_posting_kit(
        posting_text=BACKEND_POSTING, company_name="Lumen Pay", owner=None
    )
    return kit, kit_texts.kit_content(kit)


def test_stories_change_the_coverage_map(posting_kit: tuple[PrepKit, kit_texts.KitContent]) -> None:
    kit, content = posting_kit
    coverage = prep_progress.story_coverage(kit, content)
    assert {r.status for r in coverage.rows} == {"missing"}
    assert len(coverage.missing_kinds) == 6
    draft = services.save_story(
        kit=kit,
        content=content,
        fields={"title": "Leaky cache", "kind": "challenge", "situation": "At Acme."},
        competencies=["Debugging unclear problems"],
    )
    coverage = prep_progress.story_coverage(kit, content)
    row = next(r for r in coverage.rows if r.competency.name == "Debugging unclear problems")
    assert row.status == "draft" and draft.missing_parts == ["task", "action", "result"]
    services.save_story(
        kit=kit,
        content=content,
        story=draft,
        fields={
            "title": "Leaky cache",
            "kind": "challenge",
            "situation": "At Acme.",
            "task": "Find the leak.",
            "action": "I bisected releases.",
            "result": "Memory flat since.",
        },
        competencies=["Debugging unclear problems", "Calm under incident pressure"],
    )
    coverage = prep_progress.story_coverage(kit, content)
    covered = [r.competency.name for r in coverage.rows if r.status == "covered"]
    assert covered == ["Debugging unclear problems", "Calm under incident pressure"]
    assert [k.kind for k in coverage.missing_kinds if k.kind == "challenge"] == []
    with pytest.raises(ValidationError) as error:
        services.save_story(
            kit=kit,
            content=content,
            fields={"title": "", "kind": "nope"},
            competencies=["Juggling"],
        )
    assert set(error.value.message_dict) == {"title", "kind", "competencies"}
    assert Story.objects.count() == 1


def test_another_kits_story_cannot_be_touched(
    posting_kit: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, content = posting_kit
    story = services.save_story(
        kit=kit,
        content=content,
        fields={"title": "Mine", "kind": "accomplishment"},
        competencies=[],
    )
    other, key = services.create_posting_kit(posting_text=BACKEND_POSTING, owner=None)
    client = Client()
    session = client.session
    session["prep_kits"] = {str(other.public_id): {"key": key}}
    session.save()
    url = reverse("prep-story", args=[other.public_id, story.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("prep-story-delete", args=[other.public_id, story.pk])).status_code
        == 404
    )
    assert client.get(reverse("prep-story", args=[kit.public_id, story.pk])).status_code == 404
    assert Story.objects.filter(pk=story.pk).exists()


def test_own_questions_list(posting_kit: tuple[PrepKit, kit_texts.KitContent]) -> None:
    kit, content = posting_kit
    services.add_question(kit=kit, text="  What does on-call look like?  ")
    with pytest.raises(ValidationError):
        services.add_question(kit=kit, text="what does on-call look like?")
    with pytest.raises(ValidationError):
        services.add_question(kit=kit, text="   ")
    first = kit_texts.suggested_questions(content, [])[0]
    services.add_question(kit=kit, text=first.text, topic=first.topic)
    listed = [q.text for q in kit.my_questions.all()]
    assert listed == ["What does on-call look like?", first.text]
    assert first.text not in [s.text for s in kit_texts.suggested_questions(content, listed)]
    # The posting's benefits mention a learning budget: that topic is answered.
    assert "professional_development" in content.answered


def test_practice_records_feedback_progress_and_readiness(
    posting_kit: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, content = posting_kit
    weak = services.record_attempt(
        kit=kit,
        content=content,
        question="Tell me about a hard bug.",
        competency="Debugging unclear problems",
        answer="I think I would probably look at the logs and maybe ask the team.",
    )
    strong = services.record_attempt(
        kit=kit,
        content=content,
        question="Tell me about a hard bug.",
        competency="Debugging unclear problems",
        answer=GOOD_ANSWER,
        seconds=95,
    )
    assert strong.score > weak.score
    assert strong.star_parts == 4 and strong.seconds == 95
    assert len(strong.analysis["suggestions"]) == 3
    progress = prep_progress.progress_by_question(kit)
    assert len(progress) == 1 and progress[0].attempts == 2 and progress[0].trend == "up"
    ready = {r.competency: r for r in prep_progress.readiness(kit, content)}
    assert ready["Debugging unclear problems"].level == "almost"  # good answer, no story yet
    assert ready["System design"].level == "not_started"
    services.save_story(
        kit=kit,
        content=content,
        fields={"title": "Slow Mondays", "kind": "challenge", "situation": "s", "task": "t",
                "action": "a", "result": "r"},
        competencies=["Debugging unclear problems"],
    )  # fmt: skip
    ready = {r.competency: r for r in prep_progress.readiness(kit, content)}
    assert ready["Debugging unclear problems"].level == "ready"
    with pytest.raises(ValidationError) as error:
        services.record_attempt(kit=kit, content=content, question="Q?", competency="", answer="  ")
    assert "answer" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_attempt(
            kit=kit, content=content, question="", competency="Juggling", answer="x"
        )
    assert set(error.value.message_dict) == {"question", "competency"}


def test_practice_page_gives_feedback_as_a_partial(
    posting_kit: tuple[PrepKit, kit_texts.KitContent],
) -> None:
    kit, content = posting_kit
    kit.owner = UserFactory(role=Role.JOB_SEEKER)
    kit.save()
    client = client_for(kit.owner)
    question = content.competencies[2].questions[0]
    url = reverse("prep-practice", args=[kit.public_id])
    assert (
        f'value="{question.pk}" selected' in client.get(f"{url}?q={question.pk}").content.decode()
    )
    response = client.post(
        url,
        {"question_pk": question.pk, "answer": GOOD_ANSWER, "seconds": "80"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "4 of 4 STAR parts told" in html and "you took 80 seconds" in html
    attempt = kit.attempts.get()
    assert attempt.question == question.text and attempt.competency == content.competencies[2].name
    response = client.post(url, {"question_pk": 999_999, "answer": GOOD_ANSWER})
    assert "Select a valid choice" in response.content.decode()
    assert kit.attempts.count() == 1


def test_summary_pdf_is_one_page(posting_kit: tuple[PrepKit, kit_texts.KitContent]) -> None:
    import pypdfium2

    kit, content = posting_kit
    kit.owner = UserFactory(role=Role.JOB_SEEKER)
    kit.save()
    for n in range(6):
        services.save_story(
            kit=kit,
            content=content,
            fields={"title": f"Story {n} about a long and winding project", "kind": "accomplishment",
                    "situation": "s", "task": "t", "action": "a", "result": "Shipped it. " * 20},
            competencies=[content.competencies[n].name],
        )  # fmt: skip
    for s in kit_texts.suggested_questions(content, []):
        services.add_question(kit=kit, text=s.text)
    response = client_for(kit.owner).get(reverse("prep-summary-pdf", args=[kit.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(BytesIO(response.content))
    assert len(pdf) == 1
    text = pdf[0].get_textpage().get_text_range()
    assert "Senior Backend Engineer" in text and "Story 0" in text


def test_invitation_summary_pdf_is_one_page(jordan: Application) -> None:
    import pypdfium2

    _link, token = services.create_invite_link(actor=rita(), application=jordan)
    client = Client()
    kit = open_link(client, token)
    content = kit_texts.kit_content(kit)
    services.save_story(
        kit=kit,
        content=content,
        fields={"title": "Bisected a memory leak across three releases", "kind": "challenge",
                "situation": "s", "task": "t", "action": "a",
                "result": "Memory flat for six months; the heap-dump guide is now in the runbook."},
        competencies=["Debugging unclear problems", "Calm under incident pressure"],
    )  # fmt: skip
    for s in kit_texts.suggested_questions(content, [])[:4]:
        services.add_question(kit=kit, text=s.text)
    response = client.get(reverse("prep-summary-pdf", args=[kit.public_id]))
    pdf = pypdfium2.PdfDocument(BytesIO(response.content))
    assert len(pdf) == 1
    assert "Senior software engineer" in pdf[0].get_textpage().get_text_range()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf[0].render(scale=1.4).to_pil().save(ARTIFACTS / "prep-summary-page-1.png")


def test_research_notes_are_saved(posting_kit: tuple[PrepKit, kit_texts.KitContent]) -> None:
    kit, _content = posting_kit
    kit.owner = UserFactory(role=Role.JOB_SEEKER)
    kit.save()
    client = client_for(kit.owner)
    response = client.post(
        reverse("prep-research", args=[kit.public_id]),
        {
            "mission-done": "on",
            "mission-notes": "Make getting paid easy.",
            "news-notes": "Series B",
        },
    )
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.research["mission"] == {"done": True, "notes": "Make getting paid easy."}
    assert kit.research["news"] == {"done": False, "notes": "Series B"}
    with pytest.raises(ValidationError):
        services.save_research(kit=kit, items={"salary": {"notes": "x"}})


def test_kit_pages_refuse_people_without_access(
    posting_kit: tuple[PrepKit, kit_texts.KitContent], engineering: Position
) -> None:
    kit, _content = posting_kit
    manager = client_for(engineering.hiring_manager)
    for name in ("prep-kit", "prep-stories", "prep-ask", "prep-practice", "prep-summary-pdf"):
        assert manager.get(reverse(name, args=[kit.public_id])).status_code == 404
        assert Client().get(reverse(name, args=[kit.public_id])).status_code == 404
    application = make_application(engineering, name="Lee Outsider")
    assert application.prep_kits.count() == 0


def test_posting_kits_show_only_the_builtin_bank(db: None) -> None:
    from secondround.questions.models import Question, Scenario
    from secondround.questions.selectors import search_questions

    search_questions()  # loads the built-in bank
    private = Question.objects.create(
        text="Our private question about the Falcon migration?",
        type=QuestionType.BEHAVIOURAL,
        kind="technical",
        role_families=["software-engineer"],
        answer_1="a",
        answer_3="b",
        answer_5="c",
    )
    Scenario.objects.create(
        role_family="software-engineer",
        title="AAA private exercise",
        brief="Internal only.",
        timebox_minutes=30,
    )
    kit, _key = services.create_posting_kit(posting_text=BACKEND_POSTING, owner=None)
    content = kit_texts.kit_content(kit)
    shown = [q.pk for c in content.competencies for q in c.questions]
    assert private.pk not in shown
    assert content.scenario is not None and content.scenario.title != "AAA private exercise"
