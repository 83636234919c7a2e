"""Reads for the hiring domain. Every read is scoped to what the user may see.

Who sees what:
- admins see everything;
- a position's hiring team (its hiring manager and recruiters) sees the position, its
  competencies, candidates and applications, and may change them;
- an interviewer on a position's panel sees the position and its candidates, read-only,
  except a colleague's application (an internal applicant) before it reaches the loop
  (``visible_applications``): only the hiring team and admins know of it until then;
- nobody else sees the position at all (it answers 404, so its existence does not leak).

Only organisation members (active, not job seekers) are ever on a team: a job seeker's account
sees nothing here even if an old membership still names it.

Nobody sees or acts on a position they applied for (their email is one of its candidates',
compared without case), admins included: an applicant must not move or decide their own
application, nor read their rivals' ratings. The team side is refused when the team is set
(``hiring.services.require_not_own_candidates``); admins see everything else, so the rule is
applied here, where every page, API call and service asks.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from secondround.accounts.models import Role, User
from secondround.accounts.selectors import organisation_members
from secondround.hiring.models import (
    Application,
    Candidate,
    CompanyProfile,
    Interview,
    Position,
    PositionStatus,
    Stage,
    StageMove,
)


def _not_applied_for(user: User) -> QuerySet[Position]:
    """Every position except those the user is a candidate for."""
    positions = Position.objects.select_related("department", "hiring_manager")
    if not user.email:
        return positions.all()
    # exclude() across the relation: no application of the position has this candidate email.
    return positions.exclude(applications__candidate__email__iexact=user.email)


def members_not_applied_for(position: Position) -> QuerySet[User]:
    """The organisation's members less anyone who applied for the position: who may rate,
    sit or decide for it (the rule ``hiring.services.require_not_own_candidates`` enforces)."""
    applicants = Candidate.objects.filter(applications__position=position).values(
        email_lower=Lower("email")
    )
    return (
        organisation_members().alias(email_lower=Lower("email")).exclude(email_lower__in=applicants)
    )


def applied_for(user: User, position: Position) -> bool:
    """Whether the user is a candidate for the position (by email, without case)."""
    return (
        bool(user.email)
        and Application.objects.filter(
            position=position, candidate__email__iexact=user.email
        ).exists()
    )


def visible_positions(user: User) -> QuerySet[Position]:
    positions = _not_applied_for(user)
    if user.is_org_admin:
        return positions
    if not user.is_organisation_member:
        return positions.none()
    return positions.filter(
        Q(hiring_manager=user) | Q(recruiters=user) | Q(interviewers=user)
    ).distinct()


def managed_positions(user: User) -> QuerySet[Position]:
    """Positions whose hiring team the user is on (all of them for admins), never one they
    applied for."""
    positions = _not_applied_for(user)
    if user.is_org_admin:
        return positions
    if not user.is_organisation_member:
        return positions.none()
    return positions.filter(Q(hiring_manager=user) | Q(recruiters=user)).distinct()


def get_visible_position(user: User, position_id: int) -> Position:
    """The position, or Position.DoesNotExist when the user may not see it."""
    return visible_positions(user).get(pk=position_id)


def can_manage_position(user: User, position: Position) -> bool:
    if user.is_organisation_member and position.hiring_manager_id == user.pk:
        # What managed_positions says, without a query on every page: a hiring manager is never
        # one of the position's candidates (require_not_own_candidates refuses it).
        return True
    if user.is_org_admin:
        return not applied_for(user, position)
    return managed_positions(user).filter(pk=position.pk).exists()


def require_manager(user: User, position: Position) -> None:
    if not can_manage_position(user, position):
        raise PermissionDenied("Only the position's hiring team can change it.")


def can_create_positions(user: User) -> bool:
    return user.is_org_admin or (
        user.is_active and user.role in (Role.HIRING_MANAGER, Role.RECRUITER)
    )


def can_edit_company(user: User) -> bool:
    return user.is_org_admin or (user.is_active and user.role == Role.HIRING_MANAGER)


#: The stages in which the panel meets a finalist: an internal applicant becomes visible to the
#: panel's interviewers here (or once they passed through round two).
LOOP_STAGES = (Stage.SECOND_ROUND, Stage.DECISION, Stage.OFFER, Stage.HIRED)


def internal_applications() -> QuerySet[Application]:
    """Applications whose candidate is a colleague: their email (without case) is an active
    organisation member's."""
    colleagues = organisation_members().values(email_lower=Lower("email"))
    return Application.objects.alias(email_lower=Lower("candidate__email")).filter(
        email_lower__in=colleagues
    )


def _before_the_loop() -> Q:
    """Not (yet) invited to the loop: never in round two or later."""
    entered = StageMove.objects.filter(application=OuterRef("pk"), to_stage=Stage.SECOND_ROUND)
    return ~Q(stage__in=LOOP_STAGES) & ~Q(Exists(entered))


def visible_applications(user: User) -> QuerySet[Application]:
    """The applications of the positions the user sees, less a colleague's application while it
    has not reached the loop, for anyone but its hiring team and admins.

    A colleague who applies is known to their hiring manager, the position's recruiters and
    admins from the start; the panel's other interviewers (who may sit beside them at work)
    learn of it only when they are invited to round two, where they meet them anyway.
    """
    applications = Application.objects.select_related("candidate", "position").filter(
        position__in=visible_positions(user)
    )
    if user.is_org_admin:
        return applications
    hidden = internal_applications().filter(_before_the_loop()).values("pk")
    return applications.filter(
        Q(position__in=managed_positions(user).values("pk")) | ~Q(pk__in=hidden)
    )


def get_visible_application(user: User, application_id: int) -> Application:
    return visible_applications(user).get(pk=application_id)


def visible_candidates(user: User) -> QuerySet[Candidate]:
    """Candidates of the applications the user sees; admins also see those with none yet."""
    through_applications = Q(applications__in=visible_applications(user))
    if user.is_org_admin:
        return Candidate.objects.filter(through_applications | Q(applications=None)).distinct()
    return Candidate.objects.filter(through_applications).distinct()


def get_visible_candidate(user: User, candidate_id: int) -> Candidate:
    return visible_candidates(user).get(pk=candidate_id)


def upcoming_interviews(user: User, *, days: int = 14) -> QuerySet[Interview]:
    now = timezone.now()
    if not user.is_organisation_member:
        return Interview.objects.none()
    return Interview.objects.select_related(
        "application__candidate", "application__position"
    ).filter(
        interviewer=user,
        starts_at__gte=now - timedelta(hours=2),
        starts_at__lte=now + timedelta(days=days),
    )


def open_positions_owned(user: User) -> QuerySet[Position]:
    return managed_positions(user).exclude(status=PositionStatus.CLOSED)


def finalists_awaiting_decision(user: User) -> QuerySet[Application]:
    """Applications in round two or waiting for a decision, on positions the user manages."""
    return (
        Application.objects.select_related("candidate", "position")
        .filter(position__in=managed_positions(user))
        .filter(stage__in=Stage.finalists())
        .order_by("position__title", "stage", "candidate__full_name")
    )


def company_profile() -> CompanyProfile | None:
    return CompanyProfile.objects.prefetch_related("values").first()


def candidate_language(candidate: Candidate) -> str:
    """The language the candidate's pages and messages speak: theirs, if the site speaks it."""
    spoken = dict(settings.LANGUAGES)
    return candidate.language if candidate.language in spoken else settings.LANGUAGE_CODE
