"""Writing to the audit log. Every service that touches sensitive data calls `record_event`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from secondround.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:  # the log sits below accounts: it names users without importing them
    from secondround.accounts.models import User


def record_event(
    *,
    actor: User | None,
    action: AuditAction,
    target: models.Model | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append one event. Summaries never name a candidate, so erasure leaves nothing here.

    Called inside the caller's transaction: a rolled-back action leaves no event behind.
    """
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=_label(actor),
        action=action,
        target_type=target._meta.model_name or "" if target is not None else "",
        target_id=target.pk if target is not None else None,
        summary=summary[:500],
    )


def _label(actor: User | None) -> str:
    if actor is None:
        return "secondround (automatic)"
    return f"{actor.full_name} <{actor.email}>" if actor.full_name else actor.email
