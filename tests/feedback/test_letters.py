"""Feedback letters: drafted from shareable evidence, edited and approved by the hiring team,
read by the candidate on their private link (page and PDF), leaking nothing internal."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator

import pypdfium2
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.debrief.calibration import _load_cached, current, refresh_snapshot
from secondround.feedback import services
from secondround.feedback.models import LETTER_TEXT_MAX, FeedbackLetter, LetterVersion
from secondround.feedback.selectors import approved_letter, drafted_content
from secondround.hiring.models import Position
from secondround.messaging.models import Message, MessageKind
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink
from tests.conftest import client_for
from tests.factories import make_finalist, submit_round_two
from tests.feedback.helpers import (
    DECISION_REASONS,
    HIDDEN_NOTE,
    RATER_NAMES,
    SHARED_STRONGER,
    SHARED_WELL,
    TAKEAWAYS,
    Finalist,
    decide,
    finalist_with_evidence,
    letter_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalist(position: Position) -> Finalist:
    return finalist_with_evidence(position)


def _editor_post(finalist: Finalist, action: str, **changes: str) -> dict[str, str]:
    """The editor's form as the page fills it, with some fields changed."""
    content = drafted_content(finalist.application)
    data = {"opening": content["opening"], "closing": content["closing"], "action": action}
    by_name = {s["competency"]: s for s in content["sections"]}
    for competency in finalist.application.position.competencies.all():
        section = by_name.get(competency.name, {})
        data[f"went_well_{competency.pk}"] = section.get("went_well", "")
        data[f"stronger_{competency.pk}"] = section.get("stronger", "")
    data.update(changes)
    return data


def _url(finalist: Finalist) -> str:
    return reverse("feedback-letter-editor", args=[finalist.application.pk])


def test_the_draft_holds_shareable_evidence_by_competency_and_nothing_else(
    finalist: Finalist,
) -> None:
    content = drafted_content(finalist.application)
    first, second = list(finalist.application.position.competencies.all())[:2]
    assert content["sections"] == [
        {"competency": first.name, "went_well": SHARED_WELL, "stronger": ""},
        {"competency": second.name, "went_well": "", "stronger": SHARED_STRONGER},
    ]
    assert "Casey" in content["opening"]


def test_the_editor_shows_the_draft_without_saving_it(finalist: Finalist, manager: User) -> None:
    response = client_for(manager).get(_url(finalist))
    assert response.status_code == 200
    assert SHARED_WELL in html.unescape(response.content.decode())
    assert not FeedbackLetter.objects.exists()  # a read never writes


def test_only_the_hiring_team_edits_the_letter(
    finalist: Finalist, panel_interviewer: User, outsider: User, recruiter: User
) -> None:
    assert client_for(outsider).get(_url(finalist)).status_code == 404
    assert client_for(panel_interviewer).get(_url(finalist)).status_code == 403
    assert client_for(recruiter).get(_url(finalist)).status_code == 200
    assert Client().get(_url(finalist)).status_code == 302  # to the sign-in page


def test_a_manager_under_the_independence_rule_waits_for_their_own_scorecard(
    finalist: Finalist, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rule itself is tested with the scorecards; here: the letter follows it.
    monkeypatch.setattr(
        "secondround.feedback.selectors.can_see_round_two_ratings", lambda user, app: False
    )
    assert client_for(manager).get(_url(finalist)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_letter_draft(
            actor=manager, application=finalist.application, opening="x", sections=[], closing=""
        )


def test_approval_waits_for_the_decision_and_saves_nothing_before(
    finalist: Finalist, manager: User
) -> None:
    response = client_for(manager).post(_url(finalist), _editor_post(finalist, "approve"))
    assert response.status_code == 400
    assert "Record the decision first" in html.unescape(response.content.decode())
    assert not FeedbackLetter.objects.exists()
    assert not LetterVersion.objects.exists()


@pytest.mark.parametrize(
    "decision, shown", [("another_conversation", "Another conversation"), ("on_hold", "On hold")]
)
def test_a_decision_that_is_not_final_does_not_open_approval(
    finalist: Finalist, manager: User, decision: str, shown: str
) -> None:
    """A letter goes with the outcome: "another conversation" or "on hold" is not one, and a
    letter beside "we would like one more conversation" would contradict the candidate's page."""
    decide(finalist.application, decision)
    editor = client_for(manager).get(_url(finalist)).content.decode()
    assert f"The recorded decision is “{shown}”" in html.unescape(editor)
    response = client_for(manager).post(_url(finalist), _editor_post(finalist, "approve"))
    said = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert f"The recorded decision is “{shown}”" in said and "hire or reject" in said
    assert not LetterVersion.objects.exists()
    assert not Message.objects.filter(kind=MessageKind.FEEDBACK_READY).exists()
    saved = client_for(manager).post(_url(finalist), _editor_post(finalist, "save"))
    assert saved.status_code == 302 and FeedbackLetter.objects.exists()  # drafting goes on


def test_an_approved_letter_changes_only_by_a_new_approval(
    finalist: Finalist, manager: User
) -> None:
    decide(finalist.application)
    client = client_for(manager)
    first = finalist.application.position.competencies.all()[0]
    assert client.post(_url(finalist), _editor_post(finalist, "approve")).status_code == 302
    assert client.post(_url(finalist), _editor_post(finalist, "approve")).status_code == 302
    assert LetterVersion.objects.count() == 1  # the same words again make no new version
    assert Message.objects.filter(kind=MessageKind.FEEDBACK_READY).count() == 1

    edited = "You explained the design clearly and checked your assumptions aloud."
    client.post(_url(finalist), _editor_post(finalist, "save", **{f"went_well_{first.pk}": edited}))
    letter = approved_letter(finalist.application)
    assert letter is not None and letter.number == 1
    assert letter.sections[0]["went_well"] == SHARED_WELL  # the draft is not the letter

    client.post(
        _url(finalist), _editor_post(finalist, "approve", **{f"went_well_{first.pk}": edited})
    )
    versions = list(LetterVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].sections[0]["went_well"] == SHARED_WELL  # the earlier version is kept
    assert versions[1].sections[0]["went_well"] == edited
    page = html.unescape(client.get(_url(finalist)).content.decode())
    assert "Version 2 approved" in page and "Version 1," in page


def test_an_emptied_competency_is_left_out_of_the_letter(finalist: Finalist, manager: User) -> None:
    decide(finalist.application)
    second = list(finalist.application.position.competencies.all())[1]
    client_for(manager).post(
        _url(finalist), _editor_post(finalist, "approve", **{f"stronger_{second.pk}": "  "})
    )
    letter = approved_letter(finalist.application)
    assert letter is not None
    assert [s["competency"] for s in letter.sections] == [
        finalist.application.position.competencies.first().name  # type: ignore[union-attr]
    ]


def test_an_over_long_text_is_refused_naming_the_field_and_nothing_is_stored(
    finalist: Finalist, manager: User
) -> None:
    decide(finalist.application)
    first = finalist.application.position.competencies.first()
    assert first is not None
    too_long = "x" * (LETTER_TEXT_MAX + 1)
    response = client_for(manager).post(
        _url(finalist), _editor_post(finalist, "approve", **{f"stronger_{first.pk}": too_long})
    )
    assert response.status_code == 400
    assert f'id="id_stronger_{first.pk}_error"' in response.content.decode()
    assert not FeedbackLetter.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.approve_feedback_letter(
            actor=manager, application=finalist.application, opening=too_long, sections=[],
            closing="", base_url="http://testserver",
        )  # fmt: skip
    assert "opening" in refused.value.error_dict
    assert not LetterVersion.objects.exists()


def test_a_competency_of_another_position_is_refused(finalist: Finalist, manager: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_letter_draft(
            actor=manager, application=finalist.application, opening="Hello",
            sections=[services.SectionInput(competency_id=10**9, went_well="x", stronger="")],
            closing="",
        )  # fmt: skip
    assert f"went_well_{10**9}" in refused.value.error_dict


# --- the candidate's side ---------------------------------------------------------------------


def _approve(finalist: Finalist, manager: User) -> None:
    """Decide and approve; the letter's mail carries the candidate's new link (kept on
    ``finalist.token``: the earlier one now answers "replaced")."""
    decide(finalist.application)
    client_for(manager).post(_url(finalist), _editor_post(finalist, "approve"))
    finalist.token = letter_token(finalist.application)


def test_the_candidate_reads_the_letter_after_a_rejection_and_downloads_it(
    finalist: Finalist, manager: User
) -> None:
    client = Client()
    page = client.get(reverse("feedback-letter-candidate", args=[finalist.token]))
    assert page.status_code == 200
    assert "not ready yet" in page.content.decode()
    assert client.get(reverse("feedback-letter-pdf", args=[finalist.token])).status_code == 404

    _approve(finalist, manager)
    assert finalist.application.stage == "rejected"  # the letter's link opens it after the outcome
    body = html.unescape(
        client.get(reverse("feedback-letter-candidate", args=[finalist.token])).content.decode()
    )
    assert SHARED_WELL in body and SHARED_STRONGER in body
    pdf = client.get(reverse("feedback-letter-pdf", args=[finalist.token]))
    assert pdf["Content-Type"] == "application/pdf"
    assert SHARED_WELL[:40] in _pdf_text(pdf.content)


def test_a_revoked_or_expired_link_answers_410_and_an_unknown_one_404(
    finalist: Finalist, manager: User
) -> None:
    _approve(finalist, manager)
    url = reverse("feedback-letter-candidate", args=[finalist.token])
    assert Client().get(reverse("feedback-letter-candidate", args=["nope"])).status_code == 404
    link = InviteLink.objects.get(token_hash=token_hash(finalist.token))
    link.expires_at = link.created_at
    link.save()
    assert Client().get(url).status_code == 410
    assert Client().get(reverse("feedback-letter-pdf", args=[finalist.token])).status_code == 410


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    return " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


@pytest.fixture
def fresh_calibration_cache() -> Iterator[None]:
    # debrief.calibration caches fits per snapshot (id and creation time); start and end clean so
    # no fit of this test's finalists lingers in memory.
    _load_cached.cache_clear()
    yield
    _load_cached.cache_clear()


def _calibrated_scores(finalist: Finalist) -> list[str]:
    """The finalist's calibrated score as the debrief would print it."""
    refresh_snapshot()  # what the worker does after submissions (pages never fit)
    fitted = current()
    assert fitted is not None
    _snapshot, comparison = fitted
    for group in comparison.groups:
        for result in group.candidates:
            if result.candidate == str(finalist.application.pk):
                return [f"{result.score:.2f}", f"{result.score:.1f}"]
    raise AssertionError("the finalist was not calibrated")


@pytest.mark.usefixtures("fresh_calibration_cache")
def test_nothing_internal_leaks_into_the_letter_its_page_or_its_pdf(
    finalist: Finalist, manager: User, position: Position
) -> None:
    """Distinctive rater names, ratings, internal notes, takeaways, decision reasons, the
    calibrated score and another finalist's name: none reaches the candidate."""
    other = make_finalist(position, name="Dana Otherfinalist")
    submit_round_two(
        other, finalist.raters[0],
        {c.name: {"rating": 3, "notes": "Dana's own evidence.", "shareable": True}
         for c in list(position.competencies.all())[:3]},
    )  # fmt: skip
    scores = _calibrated_scores(finalist)
    _approve(finalist, manager)
    client = Client()
    page = html.unescape(
        client.get(reverse("feedback-letter-candidate", args=[finalist.token])).content.decode()
    )
    letter = page[page.index("<article") : page.index("</article>")]
    pdf = _pdf_text(client.get(reverse("feedback-letter-pdf", args=[finalist.token])).content)
    message = Message.objects.get(kind=MessageKind.FEEDBACK_READY)
    mail = html.unescape(f"{message.subject}\n{message.body_text}\n{message.body_html}")
    forbidden = [
        *RATER_NAMES, HIDDEN_NOTE[:20], TAKEAWAYS[:20], DECISION_REASONS[:20], "Dana",
        "Otherfinalist", "Strong yes", "strong_yes", "/5", "rating", "Rating", "calibrat", *scores,
    ]  # fmt: skip
    for text in (page, pdf, mail):
        for word in forbidden:
            assert word not in text, word
    for text in (letter, pdf):
        assert not re.search(r"\b\d\.\d", text), "a decimal number (a score?) in the letter"
        assert not re.search(r"\b[1-5] ?(out of|/) ?5\b", text)


def test_approval_tells_the_candidate_with_a_link_that_opens_the_letter_after_the_outcome(
    finalist: Finalist, manager: User
) -> None:
    _approve(finalist, manager)
    message = Message.objects.get(kind=MessageKind.FEEDBACK_READY)
    assert message.to_email == finalist.application.candidate.email
    url = re.search(r"http://testserver(/prep/i/[^/\s]+/feedback/)", message.body_text)
    assert url, message.body_text
    page = Client().get(url.group(1))
    assert page.status_code == 200 and SHARED_WELL in html.unescape(page.content.decode())


def test_without_a_valid_address_the_letter_is_approved_and_no_message_is_sent(
    finalist: Finalist, manager: User
) -> None:
    candidate = finalist.application.candidate
    candidate.email = ""
    candidate.save()
    decide(finalist.application, "hire")  # an offer: no outcome message is needed to decide
    response = client_for(manager).post(
        _url(finalist), _editor_post(finalist, "approve"), follow=True
    )
    assert "no message was sent" in html.unescape(response.content.decode())
    assert approved_letter(finalist.application) is not None
    assert not Message.objects.filter(kind=MessageKind.FEEDBACK_READY).exists()
    assert InviteLink.objects.filter(application=finalist.application).count() == 1
    # No mail carried a new link, so the one the candidate has still opens their letter.
    assert (
        Client().get(reverse("feedback-letter-candidate", args=[finalist.token])).status_code == 200
    )
