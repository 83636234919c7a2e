"""Reads for people: who belongs to the organisation, and the admin's list of users."""

from __future__ import annotations

from django.db.models import QuerySet

from secondround.accounts.models import Role, User


def organisation_members() -> QuerySet[User]:
    """Active people inside the organisation: the only ones who may join a hiring team or panel.

    Job seekers create their own accounts through the preparation flow; they are outside the
    organisation and must never be offered, added or seated.
    """
    return (
        User.objects.filter(is_active=True)
        .exclude(role=Role.JOB_SEEKER)
        .select_related("department")
    )


def colleagues() -> QuerySet[User]:
    """Every account of the organisation, active or not, for the admins' Users page."""
    return (
        User.objects.exclude(role=Role.JOB_SEEKER)
        .select_related("department")
        .order_by("-is_active", "full_name", "email")
    )
