"""Reading the privacy settings and what is held about a candidate."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from secondround.accounts.models import User
from secondround.hiring.models import Candidate
from secondround.privacy.models import Erasure, RetentionPolicy
from secondround.privacy.personal_data import holdings


def policy() -> RetentionPolicy:
    """The retention rule in force; the default (180 days) until an admin saves one."""
    return RetentionPolicy.objects.order_by("pk").first() or RetentionPolicy()


def policy_for_update() -> RetentionPolicy:
    existing = RetentionPolicy.objects.select_for_update().order_by("pk").first()
    return existing or RetentionPolicy()


@dataclass(frozen=True)
class HeldData:
    candidate: Candidate
    erasure: Erasure | None
    counts: list[tuple[str, int]]  # (what, how many rows)


def held_data(user: User, candidate_id: int) -> HeldData:
    """What the organisation holds on one candidate, table by table: for the admin's privacy page."""
    if not user.is_org_admin:
        raise PermissionDenied
    candidate = Candidate.objects.get(pk=candidate_id)
    counts = []
    for holding in holdings():
        count = holding.rows(candidate).count()
        if count:
            counts.append((str(holding.model._meta.verbose_name_plural), count))
    return HeldData(candidate, Erasure.objects.filter(candidate=candidate).first(), counts)


def recent_erasures(user: User, limit: int = 20) -> list[Erasure]:
    if not user.is_org_admin:
        raise PermissionDenied
    return list(Erasure.objects.select_related("erased_by").order_by("-erased_at")[:limit])
