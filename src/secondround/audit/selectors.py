"""Reading the audit log: admins only, filtered by person, action and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from secondround.audit.models import AuditEvent

if TYPE_CHECKING:  # the log sits below accounts: it names users without importing them
    from secondround.accounts.models import User


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def audit_events(user: User, audit_filter: AuditFilter) -> QuerySet[AuditEvent]:
    if not user.is_org_admin:
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor")
    if audit_filter.who:
        events = events.filter(
            Q(actor_label__icontains=audit_filter.who) | Q(actor__email__iexact=audit_filter.who)
        )
    if audit_filter.action:
        events = events.filter(action=audit_filter.action)
    if audit_filter.since:
        events = events.filter(at__date__gte=audit_filter.since)
    if audit_filter.until:
        events = events.filter(at__date__lte=audit_filter.until)
    return events
