"""The outbox: messages are stored first, then sent by the real worker over real SMTP."""

from __future__ import annotations

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from pytest_django.fixtures import Settings

from secondround.accounts.models import User
from secondround.hiring.models import Candidate, Position
from secondround.messaging.models import Message, MessageKind, MessageState
from secondround.messaging.services import Attachment, queue_message, resend_message
from tests.conftest import Inbox
from tests.factories import make_application

pytestmark = pytest.mark.django_db(transaction=True)

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:loop-1@secondround\r\nDTSTAMP:20260101T090000Z\r\n"
    "DTSTART:20260102T090000Z\r\nDTEND:20260102T100000Z\r\nSUMMARY:Deep dive\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def run_worker() -> None:
    call_command("db_worker", batch=True, verbosity=0)


def test_a_queued_message_is_sent_by_the_worker_with_its_attachment(
    smtp: Inbox, position: Position, recruiter: User
) -> None:
    application = make_application(position, name="Aisha Khan")
    message = queue_message(
        kind=MessageKind.SCHEDULE_CONFIRMATION,
        candidate=application.candidate,
        application=application,
        actor=recruiter,
        values={
            "schedule": "09:30 Welcome",
            "interview_date": "2 January",
            "portal_link": "https://x.test/p/1",
        },
        attachments=[Attachment("interview.ics", ICS.encode(), "text/calendar")],
    )
    assert smtp.messages == []  # stored first, sent by the worker
    run_worker()
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.attempts == 1
    [mail] = smtp.messages
    assert mail["To"] == "aisha.khan@mail.example"
    assert mail["Reply-To"] == recruiter.email  # the position's recruiter, not a no-reply
    assert "09:30 Welcome" in mail.get_body(preferencelist=("plain",)).get_content()
    assert "<p>" in mail.get_body(preferencelist=("html",)).get_content()
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == "interview.ics"
    calendar = icalendar.Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Deep dive"


def test_reply_to_is_the_hiring_manager_without_a_recruiter(smtp: Inbox, manager: User) -> None:
    from tests.factories import make_position

    application = make_application(make_position(manager), name="Bo Lee")
    queue_message(
        kind=MessageKind.INVITATION,
        candidate=application.candidate,
        application=application,
        values={"portal_link": "https://x.test/p/2"},
    )
    run_worker()
    assert smtp.messages[0]["Reply-To"] == manager.email


def test_server_down_retries_then_fails_with_its_answer_and_keeps_the_message(
    smtp_down: int, position: Position, settings: Settings
) -> None:
    settings.SECONDROUND_MAIL_MAX_ATTEMPTS = 3
    application = make_application(position)
    message = queue_message(
        kind=MessageKind.INVITATION,
        candidate=application.candidate,
        application=application,
        values={"portal_link": "https://x.test/p/3"},
    )
    run_worker()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert message.attempts == 3
    assert "ConnectionRefusedError" in message.last_error
    assert "Dear Casey Candidate" in message.body_text  # nothing lost


def test_a_refusing_server_is_quoted_and_a_resend_delivers(
    smtp: Inbox, position: Position, settings: Settings
) -> None:
    settings.SECONDROUND_MAIL_MAX_ATTEMPTS = 2
    smtp.refuse = "554 5.7.1 Message rejected as spam"
    application = make_application(position)
    message = queue_message(
        kind=MessageKind.INVITATION,
        candidate=application.candidate,
        application=application,
        values={"portal_link": "https://x.test/p/4"},
    )
    run_worker()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and message.attempts == 2
    assert message.last_error == "554 5.7.1 Message rejected as spam"
    smtp.refuse = ""
    resend_message(actor=position.hiring_manager, message=message)
    run_worker()
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert len(smtp.messages) == 1


def test_a_candidate_without_a_valid_email_is_refused_by_name(position: Position) -> None:
    application = make_application(position)
    Candidate.objects.filter(pk=application.candidate_id).update(email="erased-42")
    application.candidate.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        queue_message(
            kind=MessageKind.INVITATION,
            candidate=application.candidate,
            application=application,
            values={"portal_link": "https://x.test/p/5"},
        )
    assert "no valid email address" in refused.value.message_dict["email"][0]
    assert not Message.objects.exists()


def test_a_missing_value_is_refused_naming_the_placeholder(position: Position) -> None:
    application = make_application(position)
    with pytest.raises(ValidationError) as refused:
        queue_message(
            kind=MessageKind.INVITATION, candidate=application.candidate, application=application
        )
    assert "{portal_link}" in refused.value.message_dict["values"][0]
    assert not Message.objects.exists()


def test_only_the_hiring_team_sends_and_resends(
    position: Position, panel_interviewer: User
) -> None:
    application = make_application(position)
    with pytest.raises(PermissionDenied):
        queue_message(
            kind=MessageKind.INVITATION,
            candidate=application.candidate,
            application=application,
            actor=panel_interviewer,
            values={"portal_link": "https://x.test/p/6"},
        )
    message = queue_message(
        kind=MessageKind.INVITATION,
        candidate=application.candidate,
        application=application,
        values={"portal_link": "https://x.test/p/6"},
    )
    with pytest.raises(PermissionDenied):
        resend_message(actor=panel_interviewer, message=message)


def test_the_portal_selector_lists_only_the_candidates_own_messages_newest_first(
    position: Position,
) -> None:
    from secondround.messaging.selectors import messages_for_candidate

    aisha, bo = (
        make_application(position, name="Aisha Khan"),
        make_application(position, name="Bo Lee"),
    )
    first, second = (
        queue_message(
            kind=kind,
            candidate=aisha.candidate,
            application=aisha,
            values={"portal_link": "https://x.test/p"},
        )
        for kind in (MessageKind.INVITATION, MessageKind.FEEDBACK_READY)
    )
    queue_message(
        kind=MessageKind.INVITATION,
        candidate=bo.candidate,
        application=bo,
        values={"portal_link": "https://x.test/q"},
    )
    assert list(messages_for_candidate(aisha.candidate)) == [second, first]


def test_erasing_a_candidate_leaves_no_name_or_address_in_their_messages(
    position: Position, admin_user: User
) -> None:
    from secondround.privacy.services import erase_candidate

    application = make_application(position, name="Zoe O'Brien")
    message = queue_message(
        kind=MessageKind.INVITATION, candidate=application.candidate, application=application,
        values={"portal_link": "https://x.test/p"},
        attachments=[Attachment("a.ics", "ATTENDEE:mailto:zoe.o'brien@mail.example", "text/calendar")],
    )  # fmt: skip
    erase_candidate(actor=admin_user, candidate_id=application.candidate_id)
    message.refresh_from_db()
    stored = " ".join(
        [message.subject, message.body_text, message.body_html, message.to_email]
        + [a.content for a in message.attachments.all()]
    )
    assert "Zoe" not in stored and "O&#x27;Brien" not in stored and "o'brien@" not in stored
