"""Who is qualified to rate which competency: reads and the one write, kept together.

A person may rate a competency when its kind is open to everyone (values, collaboration),
when they hold a qualification for its kind (say, technical), or one for that very
competency of a position (say, "SQL" of the data analyst). Admins and hiring managers edit
qualifications; the loop planner reads them and seats only qualified raters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from secondround.accounts.models import Role, User
from secondround.hiring.models import (
    OPEN_KINDS,
    Competency,
    CompetencyKind,
    Position,
    PositionStatus,
    RaterQualification,
)
from secondround.hiring.selectors import managed_positions


def can_edit_qualifications(user: User) -> bool:
    return user.is_active and (user.is_org_admin or user.role == Role.HIRING_MANAGER)


def require_qualification_editor(user: User) -> None:
    if not can_edit_qualifications(user):
        raise PermissionDenied(_("Only admins and hiring managers edit who may rate what."))


def qualifiable_people() -> QuerySet[User]:
    """Colleagues who may interview: active, inside the organisation (never job seekers)."""
    return (
        User.objects.filter(is_active=True)
        .exclude(role=Role.JOB_SEEKER)
        .select_related("department")
        .order_by("full_name")
    )


def editable_competencies(actor: User) -> QuerySet[Competency]:
    """Competencies whose qualified raters the actor may set: those of positions they manage."""
    return (
        Competency.objects.filter(position__in=managed_positions(actor).values("pk"))
        .exclude(position__status=PositionStatus.CLOSED)
        .select_related("position")
        .order_by("position__title", "order", "id")
    )


def qualified_competencies(position: Position, people: Iterable[User]) -> dict[int, set[int]]:
    """Person id -> ids of this position's competencies they are qualified to rate."""
    people = list(people)
    competencies = list(position.competencies.all())
    kinds: dict[int, set[str]] = defaultdict(set)
    named: dict[int, set[int]] = defaultdict(set)
    for q in RaterQualification.objects.filter(person__in=people):
        if q.competency_id is not None:
            named[q.person_id].add(q.competency_id)
        else:
            kinds[q.person_id].add(q.kind)
    return {
        person.pk: {
            c.pk
            for c in competencies
            if c.kind in OPEN_KINDS or c.kind in kinds[person.pk] or c.pk in named[person.pk]
        }
        for person in people
    }


def held_by(person: User) -> tuple[list[str], list[Competency]]:
    """The kinds (stored values) and the competencies a person holds qualifications for."""
    rows = RaterQualification.objects.filter(person=person).select_related("competency__position")
    kinds = sorted(q.kind for q in rows if q.kind)
    competencies = [q.competency for q in rows if q.competency is not None]
    return kinds, competencies


def summaries(people: Sequence[User]) -> dict[int, list[str]]:
    """Person id -> what they may rate beyond the open kinds, in words, for a list page."""
    labels = dict(CompetencyKind.choices)
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        RaterQualification.objects.filter(person__in=people)
        .select_related("competency__position")
        .order_by("kind", "competency__position__title", "competency__name")
    )
    for q in rows:
        if q.competency is not None:
            found[q.person_id].append(f"{q.competency.name} ({q.competency.position.title})")
        else:
            found[q.person_id].append(str(labels[q.kind]))
    return found


@transaction.atomic
def set_qualifications(
    *, actor: User, person: User, kinds: Sequence[str], competencies: Sequence[Competency]
) -> None:
    """Replace what the person may rate: their kinds, and the competencies the actor manages.

    Competencies of positions the actor does not manage are left as they are.
    """
    require_qualification_editor(actor)
    if person.role == Role.JOB_SEEKER or not person.is_active:
        raise ValidationError(
            {"person": _("%s is not an active colleague, so cannot interview.") % person}
        )
    unknown = sorted(set(kinds) - set(CompetencyKind.values))
    if unknown:
        raise ValidationError({"kinds": _("Unknown kind: %s.") % ", ".join(unknown)})
    allowed = set(editable_competencies(actor).values_list("pk", flat=True))
    if any(c.pk not in allowed for c in competencies):
        raise ValidationError({"competencies": _("A competency of a position you do not manage.")})
    RaterQualification.objects.filter(person=person).exclude(kind="").delete()
    RaterQualification.objects.bulk_create(
        RaterQualification(person=person, kind=kind)
        for kind in sorted(set(kinds) - set(OPEN_KINDS))  # open kinds need no record
    )
    RaterQualification.objects.filter(person=person, competency__in=allowed).delete()
    RaterQualification.objects.bulk_create(
        RaterQualification(person=person, competency=c)
        for c in {c.pk: c for c in competencies}.values()
    )
