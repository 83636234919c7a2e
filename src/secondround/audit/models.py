"""The audit log: an append-only record of who did what to sensitive data, and when."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    DEBRIEF_VIEWED = "debrief_viewed", _("Viewed a debrief")
    DECISION_RECORDED = "decision_recorded", _("Recorded a decision")
    DECISION_CHANGED = "decision_changed", _("Changed a decision")
    SCORECARD_AMENDED = "scorecard_amended", _("Amended a scorecard")
    DATA_EXPORTED = "data_exported", _("Exported a candidate's data")
    DATA_ERASED = "data_erased", _("Erased a candidate's data")
    RETENTION_APPLIED = "retention_applied", _("Anonymised candidates past retention")
    ROLE_CHANGED = "role_changed", _("Changed a role")
    PANEL_CHANGED = "panel_changed", _("Changed a hiring team or panel")
    USER_DEACTIVATED = "user_deactivated", _("Deactivated a user")
    USER_REACTIVATED = "user_reactivated", _("Reactivated a user")
    SECURITY_CHANGED = "security_changed", _("Changed security or privacy settings")
    LOOP_BOOKED = "loop_booked", _("Booked a loop")
    SCHEDULE_OVERRIDDEN = "schedule_overridden", _("Overrode a scheduling rule")
    SESSION_MOVED = "session_moved", _("Moved a session or changed its place")
    LOOP_CANCELLED = "loop_cancelled", _("Cancelled a loop")
    INTERVIEWER_REPLACED = "interviewer_replaced", _("Replaced an interviewer")
    CANDIDATE_PICKED_TIMES = "candidate_picked_times", _("A candidate picked or moved their times")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are never deleted")


class AuditEvent(models.Model):
    """One thing someone did. Never updated or deleted; the text keeps what ids alone would lose."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The actor's name as it was, so the record reads the same after the account is gone.
    actor_label = models.CharField(_("who"), max_length=200)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField(_("on what"), max_length=40)
    target_id = models.BigIntegerField(_("id"), null=True, blank=True)
    summary = models.CharField(_("details"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are never deleted")
