"""Erasure, export and retention of a candidate's personal data. Admins only; every act is audited."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.forms.models import model_to_dict
from django.utils import timezone

from secondround.accounts.models import User
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event
from secondround.hiring.models import Candidate, Stage
from secondround.prep.models import InviteLink
from secondround.privacy import selectors
from secondround.privacy.models import Erasure, ErasureReason, RetentionPolicy
from secondround.privacy.personal_data import AUTHORED_BY_CANDIDATE, Holding, Redactor, holdings

CLOSED_STAGES = (Stage.REJECTED, Stage.WITHDRAWN)


@dataclass(frozen=True)
class ErasureResult:
    candidate_id: int
    rows_redacted: int
    rows_deleted: int


def _require_admin(actor: User) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied


@transaction.atomic
def erase_candidate(
    *, actor: User | None, candidate_id: int, reason: ErasureReason = ErasureReason.REQUEST
) -> ErasureResult:
    """Remove or anonymise every piece of the candidate's personal data, keeping counts and ratings.

    Rows the candidate wrote (stories, questions, practice) are deleted; free text elsewhere has
    their name, email and phone replaced; the candidate row keeps only an anonymous label.
    Ratings, stages and dates stay, so counts and calibrated statistics survive.
    `actor` is None only for the automatic retention rule.
    """
    if actor is not None:
        _require_admin(actor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
    if Erasure.objects.filter(candidate=candidate).exists():
        raise ValidationError({"candidate": "This candidate's data was already erased."})
    redactor = Redactor.for_candidate(candidate)
    redacted = deleted = 0
    for holding in holdings():
        if holding.label in AUTHORED_BY_CANDIDATE:
            deleted += holding.rows(candidate).delete()[0]
        else:
            redacted += _redact(holding, candidate, redactor)
    _anonymise(candidate)
    # Their private links stop working: nothing of theirs is left to show.
    InviteLink.objects.filter(application__candidate=candidate, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    Erasure.objects.create(candidate=candidate, reason=reason, erased_by=actor)
    action = (
        AuditAction.DATA_ERASED
        if reason == ErasureReason.REQUEST
        else AuditAction.RETENTION_APPLIED
    )
    record_event(
        actor=actor,
        action=action,
        target=candidate,
        summary=f"candidate #{candidate.pk}: {redacted} rows redacted, {deleted} deleted",
    )
    return ErasureResult(candidate.pk, redacted, deleted)


def _redact(holding: Holding, candidate: Candidate, redactor: Redactor) -> int:
    if not holding.text_fields:
        return 0
    changed = []
    for row in holding.rows(candidate).only("pk", *holding.text_fields):
        before = [getattr(row, name) for name in holding.text_fields]
        after = [redactor.value(value) for value in before]
        if after != before:
            for name, value in zip(holding.text_fields, after, strict=True):
                setattr(row, name, value)
            changed.append(row)
    holding.model._default_manager.bulk_update(changed, holding.text_fields, batch_size=500)
    return len(changed)


def _anonymise(candidate: Candidate) -> None:
    candidate.full_name = f"Erased candidate {candidate.pk}"
    candidate.email = f"erased-{candidate.pk}@erased.invalid"
    candidate.phone = candidate.location = candidate.source = ""
    candidate.save(update_fields=["full_name", "email", "phone", "location", "source"])


def export_candidate(*, actor: User, candidate_id: int) -> bytes:
    """All of the candidate's data as one JSON document (UTF-8), for a subject-access request."""
    _require_admin(actor)
    candidate = Candidate.objects.get(pk=candidate_id)
    document: dict[str, Any] = {
        "exported_at": timezone.now(),
        "candidate": model_to_dict(candidate),
    }
    for holding in holdings():
        rows = [_row(row) for row in holding.rows(candidate).order_by("pk")]
        if rows:
            document[holding.label] = rows
    record_event(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=candidate,
        summary=f"candidate #{candidate.pk}",
    )
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _row(row: Any) -> dict[str, Any]:
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    return {name: value for name, value in values.items() if not name.endswith("hash")}


def candidates_past_retention(*, now: datetime) -> list[int]:
    """Candidates whose every application was rejected or withdrawn long enough ago; never the hired."""
    policy = selectors.policy()
    if not policy.enabled:
        return []
    cutoff = now - timedelta(days=policy.days_after_closing)
    return list(
        Candidate.objects.filter(erasure__isnull=True)
        .exclude(applications__isnull=True)
        .annotate(
            open_or_hired=Max("applications__pk", filter=~Q(applications__stage__in=CLOSED_STAGES)),
            last_closed=Max("applications__stage_changed_at"),
        )
        .filter(open_or_hired__isnull=True, last_closed__lt=cutoff)
        .values_list("pk", flat=True)
    )


def apply_retention(*, now: datetime | None = None) -> list[int]:
    """Anonymise everyone past the retention period; each in their own transaction."""
    erased = []
    for candidate_id in candidates_past_retention(now=now or timezone.now()):
        erase_candidate(actor=None, candidate_id=candidate_id, reason=ErasureReason.RETENTION)
        erased.append(candidate_id)
    return erased


@transaction.atomic
def update_retention_policy(
    *, actor: User, enabled: bool, days_after_closing: int
) -> RetentionPolicy:
    _require_admin(actor)
    policy = selectors.policy_for_update()
    policy.enabled = enabled
    policy.days_after_closing = days_after_closing
    policy.full_clean()
    policy.save()
    record_event(
        actor=actor,
        action=AuditAction.SECURITY_CHANGED,
        target=policy,
        summary=f"retention: {'on' if enabled else 'off'}, {days_after_closing} days",
    )
    return policy
