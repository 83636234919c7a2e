"""The portal's part of the demo: Aisha sends two questions in advance, routed to sessions.

Called by ``secondround.demo.load()`` once the engineering loop is accepted and before it is
scheduled (questions in advance are taken until the loop is over). Built with
the real services; safe to call twice.
"""

from __future__ import annotations

from django.db import transaction

from secondround.hiring.models import Application
from secondround.portal import services
from secondround.portal.selectors import shared_questions
from secondround.prep.demo import DEMO_FINALIST

DEMO_QUESTIONS = (
    ("How do engineers here grow into a staff role, and how long does it usually take?", ""),
    ("What is a normal week like for the team, and who do you work with most outside it?", "team"),
)


@transaction.atomic
def load_demo() -> None:
    application = Application.objects.get(
        candidate__full_name=DEMO_FINALIST, position__title="Senior software engineer"
    )
    if shared_questions(application).exists():
        return
    for text, topic in DEMO_QUESTIONS:
        services.submit_question(application=application, text=text, topic=topic)
    # The hiring manager answered the career question in her conversation (the loop's
    # scheduled later in the demo); the team question is still open for a written answer.
    career = shared_questions(application).first()
    manager = application.position.hiring_manager
    if career is not None and manager is not None:
        services.mark_question_answered(actor=manager, question=career)
    services.save_adjustments(
        application=application,
        needs=["breaks"],
        details="I would like a short break after the scenario session.",
    )
