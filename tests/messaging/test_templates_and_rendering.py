"""Templates: named placeholders only, limits, escaping, German, and the editor pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.messaging.models import BODY_MAX, MessageKind, MessageTemplate
from secondround.messaging.rendering import TemplateText, render
from secondround.messaging.services import (
    queue_message,
    save_template,
    set_candidate_language,
    template_text,
)
from tests.conftest import client_for
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_an_unknown_placeholder_is_refused_at_save_naming_it(recruiter: User) -> None:
    with pytest.raises(ValidationError) as refused:
        save_template(
            actor=recruiter,
            kind=MessageKind.INVITATION,
            language="en",
            subject="Hello {candidate_name}",
            body_text="See {portal_link} and {salary_band}, {candidate.__class__}",
        )
    error = refused.value.message_dict["body_text"][0]
    assert "{salary_band}" in error and "{candidate.__class__}" in error
    assert "{portal_link}" in error  # says what is allowed
    assert not MessageTemplate.objects.exists()


def test_a_placeholder_of_another_kind_is_refused(recruiter: User) -> None:
    with pytest.raises(ValidationError) as refused:
        save_template(
            actor=recruiter,
            kind=MessageKind.OUTCOME_NOT_THIS_TIME,
            language="en",
            subject="{schedule}",
            body_text="Dear {candidate_name}",
        )
    assert "{schedule}" in refused.value.message_dict["subject"][0]


def test_over_long_template_is_refused_and_nothing_saved(recruiter: User) -> None:
    with pytest.raises(ValidationError) as refused:
        save_template(
            actor=recruiter,
            kind=MessageKind.INVITATION,
            language="en",
            subject="Hello",
            body_text="x" * (BODY_MAX + 1),
        )
    assert "At most 20000 characters" in refused.value.message_dict["body_text"][0]
    assert not MessageTemplate.objects.exists()


def test_only_admins_and_recruiters_edit_templates(manager: User, recruiter: User) -> None:
    with pytest.raises(PermissionDenied):
        save_template(
            actor=manager, kind=MessageKind.INVITATION, language="en", subject="a", body_text="b"
        )
    saved = save_template(
        actor=recruiter,
        kind=MessageKind.INVITATION,
        language="de",
        subject="Hallo {candidate_name}",
        body_text="Ihre Seite: {portal_link}",
    )
    assert template_text(MessageKind.INVITATION, "de").subject == saved.subject


def test_values_are_escaped_in_html_and_kept_out_of_headers() -> None:
    rendered = render(
        TemplateText("Hi {candidate_name}", "Dear {candidate_name},\n\nSee {portal_link}"),
        {
            "candidate_name": "<b>Eve</b>\nBcc: x@evil.test",
            "portal_link": "https://a.test/p?x=1&y=2",
        },
        "en",
    )
    assert "\n" not in rendered.subject
    assert "<b>Eve</b>" not in rendered.body_html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in rendered.body_html
    assert 'href="https://a.test/p?x=1&amp;y=2"' in rendered.body_html
    assert "<b>Eve</b>" in rendered.body_text  # plain text is plain


def test_german_candidate_gets_the_german_template_and_german_dates(position: Position) -> None:
    application = make_application(position, name="Jonas Weber")
    set_candidate_language(candidate=application.candidate, language="de")
    application.promised_decision_on = date(2026, 3, 5)
    application.save()
    message = queue_message(
        kind=MessageKind.NEXT_STEPS,
        candidate=application.candidate,
        application=application,
        values={"portal_link": "https://x.test/p/1"},
    )
    assert message.language == "de"
    assert message.subject == "Vielen Dank, und wie es weitergeht"
    assert "spätestens am 5. März 2026" in message.body_text
    assert 'lang="de"' in message.body_html


def test_language_is_set_by_the_hiring_team_or_the_candidate(
    position: Position, panel_interviewer: User, recruiter: User
) -> None:
    candidate = make_application(position).candidate
    with pytest.raises(ValidationError) as refused:
        set_candidate_language(candidate=candidate, language="xx")
    assert "language" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        set_candidate_language(candidate=candidate, language="de", actor=panel_interviewer)
    set_candidate_language(candidate=candidate, language="de", actor=recruiter)
    candidate.refresh_from_db()
    assert candidate.language == "de"


def test_editor_previews_without_saving_then_saves(recruiter: User) -> None:
    client = client_for(recruiter)
    url = reverse("message-template", args=["invitation", "en"])
    page = client.get(url)
    assert "{portal_link}" in page.content.decode()
    preview = client.post(
        url,
        {
            "subject": "Hi {candidate_name}",
            "body_text": "<i>Come</i> {portal_link}",
            "preview": "1",
        },
    )
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Hi Alex Example" in body
    assert "&lt;i&gt;Come&lt;/i&gt;" in body
    assert not MessageTemplate.objects.exists()
    saved = client.post(url, {"subject": "Hi {candidate_name}", "body_text": "Come {portal_link}"})
    assert saved.status_code == 302
    assert MessageTemplate.objects.get().body_text == "Come {portal_link}"


def test_editor_names_the_unknown_placeholder_with_a_400(recruiter: User) -> None:
    response = client_for(recruiter).post(
        reverse("message-template", args=["reminder", "de"]),
        {"subject": "Morgen", "body_text": "Bis {morgen}"},
    )
    assert response.status_code == 400
    assert "{morgen}" in response.content.decode()


def test_editor_pages_refuse_others(manager: User, recruiter: User) -> None:
    assert client_for(manager).get(reverse("message-templates")).status_code == 403
    assert client_for(recruiter).get(reverse("message-templates")).status_code == 200
    bad = client_for(recruiter).get(reverse("message-template", args=["nope", "en"]))
    assert bad.status_code == 404


def test_labels_candidates_see_are_translated_from_the_committed_catalogue() -> None:
    from django.utils import translation

    from secondround.messaging.models import MessageState

    with translation.override("de"):
        assert str(MessageKind.OUTCOME_NOT_THIS_TIME.label) == "Ergebnis: dieses Mal nicht"
        assert str(MessageState.SENT.label) == "Gesendet"
    assert str(MessageState.SENT.label) == "Sent"
