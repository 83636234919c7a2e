"""No ghosting: promised decision dates, the closing rule, the home list, the reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from secondround.accounts.models import User
from secondround.hiring import services as hiring
from secondround.hiring.models import Application, Position, Stage
from secondround.messaging.models import DecisionReminder, Message, MessageKind, MessageState
from secondround.messaging.reminders import send_overdue_reminders
from secondround.messaging.selectors import owed_decisions
from secondround.messaging.services import (
    send_next_steps,
    send_outcome,
    set_promised_decision_date,
)
from tests.conftest import client_for
from tests.factories import make_application, record_hire

pytestmark = pytest.mark.django_db

LINK = {"portal_link": "https://x.test/p/1"}


def finalist(position: Position, name: str = "Casey Candidate") -> Application:
    application = make_application(position, name=name)
    for stage in (Stage.FIRST_ROUND, Stage.SECOND_ROUND):
        application = hiring.move_application(
            actor=position.hiring_manager, application=application, to_stage=stage
        )
    return application


def overdue(application: Application, days: int = 2) -> Application:
    Application.objects.filter(pk=application.pk).update(
        promised_decision_on=timezone.localdate() - timedelta(days=days)
    )
    application.refresh_from_db()
    return application


def test_entering_round_two_promises_a_date_from_the_policy(
    position: Position, settings: object
) -> None:
    settings.SECONDROUND_PROMISED_DECISION_DAYS = 10  # type: ignore[attr-defined]
    application = finalist(position)
    assert application.promised_decision_on == timezone.localdate() + timedelta(days=10)


def test_the_hiring_team_moves_the_date_but_not_into_the_past(
    position: Position, panel_interviewer: User
) -> None:
    application = finalist(position)
    with pytest.raises(ValidationError) as refused:
        set_promised_decision_date(
            actor=position.hiring_manager, application=application,
            on=timezone.localdate() - timedelta(days=1),
        )  # fmt: skip
    assert "promised_decision_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as too_far:  # a slipped year is shown to the candidate
        set_promised_decision_date(
            actor=position.hiring_manager, application=application,
            on=timezone.localdate() + timedelta(days=367),
        )  # fmt: skip
    assert "within a year" in str(too_far.value.message_dict["promised_decision_on"])
    response = client_for(panel_interviewer).post(
        reverse("message-decision-date", args=[application.pk]),
        {"promised_decision_on": "2099-01-01"},
    )
    assert response.status_code == 403
    later = timezone.localdate() + timedelta(days=30)
    set_promised_decision_date(actor=position.hiring_manager, application=application, on=later)
    application.refresh_from_db()
    assert application.promised_decision_on == later


def test_a_finalist_is_not_closed_without_an_outcome_or_a_reason(position: Position) -> None:
    application = finalist(position)
    with pytest.raises(ValidationError) as refused:
        hiring.move_application(
            actor=position.hiring_manager, application=application,
            to_stage=Stage.REJECTED, reason="Another finalist fitted better.",
        )  # fmt: skip
    assert (
        "has not been sent an outcome message" in refused.value.message_dict["no_outcome_reason"][0]
    )
    application.refresh_from_db()
    assert application.stage == Stage.SECOND_ROUND  # nothing half-done
    assert not application.moves.filter(to_stage=Stage.REJECTED).exists()
    hiring.move_application(
        actor=position.hiring_manager, application=application, to_stage=Stage.WITHDRAWN,
        reason="Took another job.", no_outcome_reason="They withdrew themselves by phone.",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    assert application.no_outcome_reason == "They withdrew themselves by phone."


def test_the_outcome_message_lets_it_close(position: Position) -> None:
    application = finalist(position)
    message = send_outcome(
        actor=position.hiring_manager, application=application,
        outcome=MessageKind.OUTCOME_NOT_THIS_TIME, values=LINK,
    )  # fmt: skip
    assert message.kind == MessageKind.OUTCOME_NOT_THIS_TIME
    assert "not to offer you the position" in message.body_text
    hiring.move_application(
        actor=position.hiring_manager, application=application, to_stage=Stage.REJECTED,
        reason="Another finalist fitted better.",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED and application.no_outcome_reason == ""


def test_applicants_before_round_two_close_as_before(position: Position) -> None:
    application = make_application(position)
    hiring.move_application(
        actor=position.hiring_manager, application=application, to_stage=Stage.REJECTED,
        reason="Not a fit.",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED


def test_an_offer_needs_a_next_step(position: Position) -> None:
    application = finalist(position)
    record_hire(application)
    with pytest.raises(ValidationError) as refused:
        send_outcome(
            actor=position.hiring_manager, application=application,
            outcome=MessageKind.OUTCOME_OFFER, values=LINK,
        )  # fmt: skip
    assert "next_step" in refused.value.message_dict
    assert not Message.objects.exists()


def test_next_steps_carry_the_promised_date(position: Position) -> None:
    application = finalist(position)
    message = send_next_steps(actor=position.hiring_manager, application=application, values=LINK)
    assert application.promised_decision_on is not None
    written = formats.date_format(application.promised_decision_on, "DATE_FORMAT")
    assert f"by {written} at the latest" in message.body_text


def test_home_lists_finalists_past_the_date_until_told(position: Position) -> None:
    late = overdue(finalist(position, "Late Larry"))
    finalist(position, "Fine Fiona")
    manager = position.hiring_manager
    assert [owed.application for owed in owed_decisions(manager)] == [late]
    page = client_for(manager).get(reverse("home")).content.decode()
    assert "Late Larry" in page and "Past the promised date" in page
    message = send_outcome(
        actor=manager, application=late, outcome=MessageKind.OUTCOME_NOT_THIS_TIME, values=LINK
    )
    assert owed_decisions(manager) == []
    Message.objects.filter(pk=message.pk).update(state=MessageState.FAILED)
    assert [owed.application for owed in owed_decisions(manager)] == [late]  # failed: not told


def test_home_list_is_only_for_the_hiring_team(position: Position, panel_interviewer: User) -> None:
    overdue(finalist(position))
    assert owed_decisions(panel_interviewer) == []
    assert (
        "owed-decisions" not in client_for(panel_interviewer).get(reverse("home")).content.decode()
    )


def test_the_team_is_reminded_once_a_day(position: Position, recruiter: User) -> None:
    overdue(finalist(position, "Late Larry"), days=3)
    assert send_overdue_reminders() == 1
    assert send_overdue_reminders() == 0  # same day: not again
    [reminder] = mail.outbox
    assert set(reminder.to) == {position.hiring_manager.email, recruiter.email}
    assert "Late Larry" in reminder.subject and "3 days ago" in reminder.body
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert send_overdue_reminders(today=tomorrow) == 1
    assert DecisionReminder.objects.count() == 2
    assert "4 days ago" in mail.outbox[-1].body  # counted from the day it runs for


def test_a_reject_in_the_debrief_asks_for_the_outcome_or_a_reason(position: Position) -> None:
    from secondround.debrief.services import record_decision
    from tests.factories import soon

    application = finalist(position)
    decide = {
        "actor": position.hiring_manager, "application": application, "decision": "reject",
        "reasons": "Another finalist showed deeper design evidence.", "dissent": [],
        "competencies": list(position.competencies.all()[:1]), "next_step": "Tell them",
        "next_step_date": soon(),
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        record_decision(**decide)  # type: ignore[arg-type]
    assert "no_outcome_reason" in refused.value.message_dict
    application.refresh_from_db()
    assert application.stage == Stage.SECOND_ROUND and not hasattr(application, "decision")
    send_outcome(
        actor=position.hiring_manager, application=application,
        outcome=MessageKind.OUTCOME_NOT_THIS_TIME, values=LINK,
    )  # fmt: skip
    record_decision(**decide)  # type: ignore[arg-type]
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    page = client_for(position.hiring_manager).get(
        reverse("decision", args=[position.pk, application.pk])
    )
    assert 'id="tell-the-candidate"' in page.content.decode()


def test_a_reject_after_an_offer_was_sent_asks_for_the_correction_or_a_reason(
    position: Position,
) -> None:
    """The candidate was told "offer": closing them as rejected on that word alone ghosts them."""
    application = finalist(position)
    record_hire(application)
    send_outcome(
        actor=position.hiring_manager, application=application,
        outcome=MessageKind.OUTCOME_OFFER, next_step="We call you on Monday.", values=LINK,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        record_hire(application, decision="reject")
    message = refused.value.message_dict["no_outcome_reason"][0]
    assert "was last told of an offer" in message
    application.refresh_from_db()
    assert application.stage == Stage.OFFER  # nothing half-done
    assert application.decision.decision == "hire"
    assert not application.decision.revisions.exists()
    with pytest.raises(ValidationError):  # the same on the stage form
        hiring.move_application(
            actor=position.hiring_manager, application=application, to_stage=Stage.REJECTED,
            reason="The budget was withdrawn.",
        )  # fmt: skip
    hiring.move_application(
        actor=position.hiring_manager, application=application, to_stage=Stage.REJECTED,
        reason="The budget was withdrawn.", no_outcome_reason="Hana told them by phone.",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    assert application.no_outcome_reason == "Hana told them by phone."


def test_the_not_this_time_correction_lets_a_rescinded_offer_close(position: Position) -> None:
    application = finalist(position)
    record_hire(application)
    send_outcome(
        actor=position.hiring_manager, application=application,
        outcome=MessageKind.OUTCOME_OFFER, next_step="We call you on Monday.", values=LINK,
    )  # fmt: skip
    record_hire(application, decision="on_hold")
    send_outcome(
        actor=position.hiring_manager, application=application,
        outcome=MessageKind.OUTCOME_NOT_THIS_TIME, correction_reason="The role was closed.",
        values=LINK,
    )  # fmt: skip
    hiring.move_application(
        actor=position.hiring_manager, application=application, to_stage=Stage.REJECTED,
        reason="The role was closed.",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED and application.no_outcome_reason == ""


def test_a_candidate_who_declines_the_offer_withdraws_without_more(position: Position) -> None:
    application = finalist(position)
    record_hire(application)
    send_outcome(
        actor=position.hiring_manager, application=application,
        outcome=MessageKind.OUTCOME_OFFER, next_step="We call you on Monday.", values=LINK,
    )  # fmt: skip
    hiring.move_application(
        actor=position.hiring_manager, application=application, to_stage=Stage.WITHDRAWN,
        reason="Declined the offer.",
    )  # fmt: skip
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
