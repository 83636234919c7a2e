"""Erasure and export of a candidate's personal data, and the retention rule."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from secondround.accounts.models import Role, User
from secondround.audit.models import AuditAction, AuditEvent
from secondround.debrief import calibration
from secondround.hiring.models import Application, Candidate, Stage, StageMove
from secondround.prep import services as prep_services
from secondround.prep.models import CandidateQuestion, PracticeAttempt, PrepKit, Story
from secondround.privacy import services
from secondround.privacy.models import Erasure, ErasureReason, RetentionPolicy
from secondround.scorecards.models import Rating
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import UserFactory, make_application, make_position

pytestmark = pytest.mark.django_db
DEMO_LINK = "prep_demo-aisha-bello-kestrel"


def _all_text(model: type[models.Model]) -> list[str]:
    """Every text-like value in a table (char, text, JSON, email), as strings."""
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    if not names:
        return []
    return [
        json.dumps(value, default=str) if not isinstance(value, str) else value
        for row in model._default_manager.values_list(*names)
        for value in row
        if value
    ]


def _mentions(needles: list[str]) -> list[str]:
    found = []
    for model in apps.get_models():
        for text in _all_text(model):
            lowered = text.casefold()
            found.extend(
                f"{model._meta.label}: …{needle}…" for needle in needles if needle in lowered
            )
    return found


def _name_everywhere(application: Application) -> None:
    """Put the candidate's name where people really write it: notes, reasons, stories."""
    candidate = application.candidate
    name, email = candidate.full_name, candidate.email
    Rating.objects.filter(scorecard__application=application).update(
        notes=f"{name} walked through the outage calmly; {name.split()[0]} owned the fix."
    )
    StageMove.objects.create(
        application=application, to_stage=application.stage, reason=f"Called {name} at {email}"
    )
    kit = PrepKit.objects.filter(application=application).first()
    if kit is None:  # made when the candidate first opens their private link
        kit, _link = prep_services.open_invitation(token=DEMO_LINK)
    assert kit.application == application
    Story.objects.create(kit=kit, title="Migration", kind="achievement", situation="At my old job…")
    CandidateQuestion.objects.create(kit=kit, text="How does the team grow people?")
    PracticeAttempt.objects.create(kit=kit, question="Tell me…", answer="I led…", analysis={})


def test_erasure_leaves_no_trace_of_name_or_email_in_any_table_and_keeps_ratings() -> None:
    load_demo()
    admin = User.objects.get(email="admin@kestrel.example")
    application = Application.objects.get(candidate__full_name="Aisha Bello")
    _name_everywhere(application)
    candidate = application.candidate
    needles = [
        candidate.full_name.casefold(),
        candidate.email.casefold(),
        *(part.casefold() for part in candidate.full_name.split()),
    ]
    assert _mentions(needles), "the setup really put the name into the data"
    ratings_before = sorted(
        Rating.objects.filter(scorecard__application=application).values_list("rating", flat=True)
    )
    fitted_before = len(calibration.organisation_ratings())

    result = services.erase_candidate(actor=admin, candidate_id=candidate.pk)

    assert _mentions(needles) == []
    assert result.rows_deleted >= 3 and result.rows_redacted >= 2
    assert not Story.objects.filter(kit__application=application).exists()
    assert not CandidateQuestion.objects.filter(kit__application=application).exists()
    assert client_for(admin).get(f"/prep/i/{DEMO_LINK}/").status_code == 410  # link revoked
    candidate.refresh_from_db()
    assert candidate.full_name == f"Erased candidate {candidate.pk}"
    # Counts and calibrated statistics survive: the same ratings, the same number fitted.
    assert (
        sorted(
            Rating.objects.filter(scorecard__application=application).values_list(
                "rating", flat=True
            )
        )
        == ratings_before
    )
    assert len(calibration.organisation_ratings()) == fitted_before
    event = AuditEvent.objects.get(action=AuditAction.DATA_ERASED)
    assert event.actor == admin and event.target_id == candidate.pk


def test_erasing_twice_is_refused_and_only_admins_may_erase() -> None:
    manager = UserFactory(role=Role.HIRING_MANAGER)
    admin = UserFactory(role=Role.ADMIN)
    application = make_application(make_position(manager), name="Quinn Avery")
    with pytest.raises(PermissionDenied):
        services.erase_candidate(actor=manager, candidate_id=application.candidate_id)
    assert Candidate.objects.get(pk=application.candidate_id).full_name == "Quinn Avery"
    services.erase_candidate(actor=admin, candidate_id=application.candidate_id)
    with pytest.raises(ValidationError) as refused:
        services.erase_candidate(actor=admin, candidate_id=application.candidate_id)
    assert "candidate" in refused.value.message_dict


def test_export_holds_every_table_that_mentions_the_candidate_and_is_audited() -> None:
    load_demo()
    admin = User.objects.get(email="admin@kestrel.example")
    application = Application.objects.get(candidate__full_name="Aisha Bello")
    _name_everywhere(application)

    document = json.loads(
        services.export_candidate(actor=admin, candidate_id=application.candidate_id)
    )

    assert document["candidate"]["email"] == application.candidate.email
    for table in ("hiring.Application", "hiring.StageMove", "scorecards.Rating", "prep.Story"):
        assert document[table], table
    assert all("token_hash" not in row for row in document.get("prep.InviteLink", []))
    assert AuditEvent.objects.filter(action=AuditAction.DATA_EXPORTED).count() == 1


def _closed(application: Application, stage: str, days_ago: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        stage=stage, stage_changed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_retention_anonymises_only_the_long_closed_and_never_the_hired() -> None:
    manager = UserFactory(role=Role.HIRING_MANAGER)
    position, other = make_position(manager), make_position(manager, template="data-analyst")
    old_reject = make_application(position, name="Olga Old")
    recent_reject = make_application(position, name="Rita Recent")
    hired = make_application(position, name="Hugo Hired")
    still_open = make_application(position, name="Oscar Open")
    make_application(other, name="Oscar Open Two")
    _closed(old_reject, Stage.REJECTED, 200)
    _closed(recent_reject, Stage.WITHDRAWN, 20)
    _closed(hired, Stage.HIRED, 400)
    _closed(still_open, Stage.REJECTED, 400)
    second = Application.objects.create(candidate=still_open.candidate, position=other)
    assert second.stage == Stage.APPLIED  # Oscar is still in another process

    erased = services.apply_retention()

    assert erased == [old_reject.candidate_id]
    assert Erasure.objects.get().reason == ErasureReason.RETENTION
    assert AuditEvent.objects.get().action == AuditAction.RETENTION_APPLIED
    assert services.apply_retention() == []  # idempotent


def test_retention_follows_the_admins_rule() -> None:
    manager = UserFactory(role=Role.HIRING_MANAGER)
    admin = UserFactory(role=Role.ADMIN)
    application = make_application(make_position(manager), name="Wendy Withdrawn")
    _closed(application, Stage.WITHDRAWN, 40)
    assert services.apply_retention() == []
    services.update_retention_policy(actor=admin, enabled=True, days_after_closing=30)
    assert services.apply_retention() == [application.candidate_id]
    services.update_retention_policy(actor=admin, enabled=False, days_after_closing=30)
    assert services.candidates_past_retention(now=timezone.now()) == []


def test_privacy_pages_refuse_non_admins_and_bad_input_changes_nothing() -> None:
    manager = UserFactory(role=Role.HIRING_MANAGER)
    admin = UserFactory(role=Role.ADMIN)
    application = make_application(make_position(manager), name="Pat Private")
    url = f"/candidates/{application.candidate_id}/data/"
    assert client_for(manager).get(url).status_code == 403
    assert client_for(manager).post(url + "export/").status_code == 403
    assert client_for(manager).get("/settings/privacy/").status_code == 403
    assert client_for(admin).get("/candidates/999999999/data/").status_code == 404

    wrong = client_for(admin).post(url, {"confirm_name": "Somebody Else"})
    assert wrong.status_code == 400
    assert b"not the candidate&#x27;s name" in wrong.content
    assert Candidate.objects.get(pk=application.candidate_id).full_name == "Pat Private"

    bad = client_for(admin).post("/settings/privacy/", {"enabled": "on", "days_after_closing": "0"})
    assert bad.status_code == 400
    assert not RetentionPolicy.objects.exists()
    assert (
        client_for(admin).post("/settings/privacy/", {"days_after_closing": "abc"}).status_code
        == 400
    )


def test_admin_exports_and_erases_through_the_page() -> None:
    manager = UserFactory(role=Role.HIRING_MANAGER)
    admin = UserFactory(role=Role.ADMIN)
    application = make_application(make_position(manager), name="Pat Private")
    client = client_for(admin)
    url = f"/candidates/{application.candidate_id}/data/"
    export = client.post(url + "export/")
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    assert json.loads(export.content)["candidate"]["full_name"] == "Pat Private"
    erased = client.post(url, {"confirm_name": "pat private"}, follow=True)
    assert erased.status_code == 200
    assert b"Erased on" in erased.content
    assert Candidate.objects.get(pk=application.candidate_id).email.endswith("@erased.invalid")


def test_retention_command_lists_then_anonymises() -> None:
    from typer.testing import CliRunner

    from secondround.cli import app

    manager = UserFactory(role=Role.HIRING_MANAGER)
    application = make_application(make_position(manager), name="Remy Rejected")
    _closed(application, Stage.REJECTED, 365)
    runner = CliRunner()
    listed = runner.invoke(app, ["retention", "--dry-run"])
    assert listed.exit_code == 0 and f"[{application.candidate_id}]" in listed.output
    assert not Erasure.objects.exists()
    done = runner.invoke(app, ["retention"])
    assert done.exit_code == 0 and "Anonymised 1 candidates" in done.output
    assert Erasure.objects.filter(candidate_id=application.candidate_id).exists()


def test_a_reason_naming_the_candidate_leaves_no_trace_in_the_audit_log_after_erasure() -> None:
    """Reasons are free text, and people write names in them; the append-only log keeps none."""
    from secondround.scheduling.models import ScheduledSession, SessionStatus
    from secondround.scheduling.services import cancel_loop

    load_demo()
    admin = User.objects.get(email="admin@kestrel.example")
    booked = ScheduledSession.objects.filter(status=SessionStatus.BOOKED).first()
    assert booked is not None, "the demo books a loop"
    application = booked.application
    candidate = application.candidate
    manager = application.position.hiring_manager
    cancel_loop(application, manager, f"{candidate.full_name} ({candidate.email}) withdrew")
    needles = [candidate.full_name.casefold(), candidate.email.casefold()]
    assert _mentions(needles), "the reason is kept, on the sessions"

    services.erase_candidate(actor=admin, candidate_id=candidate.pk)

    assert _mentions(needles) == []
