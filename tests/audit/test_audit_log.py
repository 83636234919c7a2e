"""The audit log is append-only and readable by admins only."""

from __future__ import annotations

import pytest

from secondround.accounts.models import Role
from secondround.audit.models import AppendOnlyError, AuditAction, AuditEvent
from secondround.audit.services import record_event
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_events_can_be_added_but_never_changed_or_deleted() -> None:
    actor = UserFactory(full_name="Ada Admin")
    event = record_event(actor=actor, action=AuditAction.DEBRIEF_VIEWED, target=actor, summary="x")
    assert event.actor_label == f"Ada Admin <{actor.email}>"
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().summary == "x"


def test_the_log_page_is_for_admins_and_filters() -> None:
    admin = UserFactory(role=Role.ADMIN)
    hana = UserFactory(full_name="Hana Hiring", role=Role.HIRING_MANAGER)
    record_event(actor=hana, action=AuditAction.DEBRIEF_VIEWED, summary="position #3")
    record_event(actor=admin, action=AuditAction.DATA_EXPORTED, summary="candidate #9")
    client = client_for(admin)

    everything = client.get("/audit/")
    assert everything.status_code == 200
    assert b"position #3" in everything.content and b"candidate #9" in everything.content
    by_person = client.get("/audit/", {"who": "hana"})
    assert b"position #3" in by_person.content and b"candidate #9" not in by_person.content
    by_action = client.get("/audit/", {"action": AuditAction.DATA_EXPORTED})
    assert b"candidate #9" in by_action.content and b"position #3" not in by_action.content

    assert client_for(hana).get("/audit/").status_code == 403
    assert client.post("/audit/").status_code == 405
    backwards = client.get("/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert backwards.status_code == 400 and b"before the start" in backwards.content
    assert client.get("/audit/", {"since": "yesterday", "action": "nope"}).status_code == 400
    assert client.get("/audit/", {"page": "99999999999999999999"}).status_code == 200


def test_the_django_admin_cannot_change_the_log() -> None:
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    event = record_event(actor=admin, action=AuditAction.ROLE_CHANGED, summary="y")
    client = client_for(admin)
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code in (200, 403)
    client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"summary": "z"})
    assert AuditEvent.objects.get(pk=event.pk).summary == "y"


def test_debrief_views_decisions_and_amendments_are_recorded() -> None:
    from datetime import date, timedelta

    from secondround.accounts.models import User
    from secondround.debrief.services import record_decision
    from secondround.hiring.models import Position
    from secondround.scorecards.models import Scorecard, ScorecardStatus
    from secondround.scorecards.services import ScorecardInput, amend_scorecard

    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    hana = User.objects.get(email="hana@kestrel.example")
    client = client_for(hana)
    assert client.get(f"/positions/{position.pk}/debrief/").status_code == 200
    client.get(f"/positions/{position.pk}/debrief/", headers={"HX-Request": "true"})
    assert client.get(f"/positions/{position.pk}/debrief/pack/").status_code == 200
    viewed = AuditEvent.objects.filter(action=AuditAction.DEBRIEF_VIEWED, actor=hana)
    assert sorted(e.summary.split(": ")[1] for e in viewed) == ["PDF pack", "page"]

    card = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    ).first()
    assert card is not None
    ratings = {
        r.competency_id: {
            "rating": r.rating,
            "notes": r.notes + " Checked again.",
            "shareable": r.shareable,
        }
        for r in card.ratings.all()
    }
    overall = {
        "recommendation": card.recommendation,
        "confidence": card.confidence,
        "takeaways": card.takeaways,
    }
    amend_scorecard(
        actor=card.interviewer, scorecard=card,
        data=ScorecardInput(ratings=ratings, resolutions={}, overall=overall), reason="Typo in my notes",
    )  # fmt: skip
    amended = AuditEvent.objects.get(action=AuditAction.SCORECARD_AMENDED)
    assert amended.actor == card.interviewer and amended.target_id == card.pk

    finalist = card.application
    competency = position.competencies.first()
    assert competency is not None
    decide = {
        "actor": hana, "application": finalist, "reasons": "Strong evidence.", "competencies": [competency],
        "dissent": [], "next_step": "Call them", "next_step_date": date.today() + timedelta(days=7), "confirm_provisional": True,
    }  # fmt: skip
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    record_decision(decision="another_conversation", **decide)
    record_decision(decision="hire", change_reason="New evidence", **decide)
    kinds = list(  # the demo records decisions of its own: only the two above count
        AuditEvent.objects.filter(
            id__gt=before,
            action__in=[AuditAction.DECISION_RECORDED, AuditAction.DECISION_CHANGED],
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert kinds == [AuditAction.DECISION_RECORDED, AuditAction.DECISION_CHANGED]
    assert finalist.candidate.full_name not in " ".join(
        AuditEvent.objects.values_list("summary", flat=True)
    )


def test_role_changes_activation_and_panel_changes_are_recorded() -> None:
    from secondround.accounts.services import set_colleague_active, update_colleague
    from secondround.hiring.services import update_position
    from tests.factories import make_position

    admin = UserFactory(role=Role.ADMIN)
    hana = UserFactory(role=Role.HIRING_MANAGER)
    colleague = UserFactory(role=Role.INTERVIEWER)
    update_colleague(
        actor=admin, user=colleague, full_name="Col League", role=Role.RECRUITER, department=None
    )
    update_colleague(
        actor=admin, user=colleague, full_name="Col League", role=Role.RECRUITER, department=None
    )
    set_colleague_active(actor=admin, user=colleague, active=False)
    set_colleague_active(actor=admin, user=colleague, active=True)
    position = make_position(hana)
    update_position(actor=hana, position=position, fields={}, interviewers=[colleague])
    update_position(actor=hana, position=position, fields={}, interviewers=[colleague])  # no change
    update_position(actor=hana, position=position, fields={}, interviewers=[])

    events = list(AuditEvent.objects.order_by("id").values_list("action", "summary"))
    assert [a for a, _s in events] == [
        AuditAction.ROLE_CHANGED,
        AuditAction.USER_DEACTIVATED,
        AuditAction.USER_REACTIVATED,
        AuditAction.PANEL_CHANGED,
        AuditAction.PANEL_CHANGED,
    ]
    assert "Interviewer → Recruiter" in events[0][1]
    assert (
        f"added {colleague.email}" in events[3][1] and f"removed {colleague.email}" in events[4][1]
    )
