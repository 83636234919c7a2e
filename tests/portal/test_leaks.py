"""No portal page, nor the itinerary file, shows anything internal (issue #13).

Aisha is given distinctive internal text: rating notes, takeaways, resolution notes, a
clarification item, and her calibrated score is read from the debrief. Every portal page
(English and German, each state that changes what is shown, the .ics, the error pages) is
then searched for it, for the names of other candidates, and for rater names next to a rating.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.debrief import selectors as debrief
from secondround.hiring.models import Application, Candidate, Stage
from secondround.loops.models import ClarificationItem
from secondround.portal import services
from secondround.portal.selectors import shared_questions
from secondround.scorecards.models import ItemResolution, Rating, Scorecard
from tests.portal.conftest import TOKEN, move_loop_to

pytestmark = pytest.mark.django_db

MARKERS = {
    "rating note": "ZEBRA-EVIDENCE-7731 froze on the scaling question",
    "takeaways": "QUOKKA-TAKEAWAY weak hire",
    "resolution note": "NARWHAL-RESOLUTION asked twice",
    "clarification": "OKAPI-ITEM ownership unclear",
}


def _mark_internal_text(aisha: Application) -> None:
    # Each update must hit rows, or the test would prove nothing.
    assert Rating.objects.filter(scorecard__application=aisha).update(notes=MARKERS["rating note"])
    assert Scorecard.objects.filter(application=aisha).update(takeaways=MARKERS["takeaways"])
    assert ItemResolution.objects.filter(scorecard__application=aisha).update(
        note=MARKERS["resolution note"]
    )
    assert ClarificationItem.objects.filter(application=aisha).update(
        summary=MARKERS["clarification"], questions=MARKERS["clarification"]
    )


def _pages(client: Client) -> list[str]:
    pages = []
    for name in ("portal", "portal-ics"):
        response = client.get(reverse(name, args=[TOKEN]))
        assert response.status_code == 200, name
        pages.append(html.unescape(response.content.decode()))
    bad = client.post(reverse("portal-ask", args=[TOKEN]), {"text": "x" * 500})
    assert bad.status_code == 400
    pages.append(html.unescape(bad.content.decode()))
    return pages


def _every_state(aisha: Application) -> list[str]:
    client = Client()
    pages = _pages(client)
    client.post(reverse("portal-preferences", args=[TOKEN]), {"language": "de", "time_zone": "UTC"})
    pages += _pages(client)
    for stage in (Stage.DECISION, Stage.REJECTED, Stage.OFFER):
        Application.objects.filter(pk=aisha.pk).update(stage=stage)
        pages.append(html.unescape(client.get(reverse("portal", args=[TOKEN])).content.decode()))
    return pages


def test_no_portal_page_shows_anything_internal(aisha: Application) -> None:
    _mark_internal_text(aisha)
    question = shared_questions(aisha).first()
    assert question is not None
    rita = User.objects.get(email="rita@kestrel.example")
    services.answer_question_in_writing(actor=rita, question=question, text="A real answer.")
    hana = aisha.position.hiring_manager
    data = debrief.debrief(hana, aisha.position)
    assert data is not None
    row = next(r for r in data.rows if r.application.pk == aisha.pk)
    scores = {
        f"{row.result.score:.2f}",
        f"{row.result.score:.2f}".replace(".", ","),
        f"{row.result.p_best:.0%}",
    }

    pages = _every_state(aisha)
    text = "\n".join(pages)
    for what, marker in MARKERS.items():
        assert marker not in text, what
    for score in scores:
        assert score not in text, f"calibrated score {score}"
    others = Candidate.objects.exclude(pk=aisha.candidate_id).values_list("full_name", flat=True)
    for name in others:
        assert name not in text, name
    raters = set(
        Scorecard.objects.filter(application=aisha).values_list("interviewer__full_name", flat=True)
    )
    for rater in raters:
        # A rater's name may appear (who the candidate meets), never beside a rating.
        for match in re.finditer(re.escape(rater), text):
            nearby = text[match.start() : match.end() + 80]
            assert not re.search(r"\b[1-5]\s*/\s*5\b|rating|Bewertung|recommend", nearby), nearby
    for word in ("Scorecard", "scorecard", "calibrat", "P(best)", "leniency", "Recommendation"):
        assert word not in text, word


def test_adjustments_stay_with_the_recruiters(aisha: Application) -> None:
    from tests.conftest import client_for

    details = "GECKO-ADJUSTMENT please no stairs"
    move_loop_to(aisha, 2)  # adjustments are taken while the conversations are ahead
    services.save_adjustments(application=aisha, needs=["step_free"], details=details)
    page_for = {
        key: client_for(User.objects.get(email=f"{key}@kestrel.example"))
        .get(reverse("application", args=[aisha.pk]))
        .content.decode()
        for key in ("rita", "hana", "priya")
    }
    assert details in page_for["rita"]  # the position's recruiter
    assert details not in page_for["hana"]  # the hiring manager
    assert details not in page_for["priya"]  # an interviewer
    seat = aisha.position.loop_plan.sessions.first().seats.first()  # type: ignore[union-attr]
    kit = client_for(seat.interviewer).get(reverse("kit", args=[seat.pk, aisha.pk]))  # type: ignore[union-attr]
    assert details not in kit.content.decode()
