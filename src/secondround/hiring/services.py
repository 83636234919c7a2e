"""Writes for the hiring domain. One atomic call per user action; bad input changes nothing.

Every service validates with the model's own rules (full_clean) and raises
django.core.exceptions.ValidationError keyed by field name, so the web forms and the API can
name the field that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import Department, User
from secondround.accounts.services import department_named
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event
from secondround.hiring.closing import closing_steps
from secondround.hiring.decision_facts import decision_facts
from secondround.hiring.models import (
    Application,
    Candidate,
    CompanyProfile,
    CompanyValue,
    Competency,
    FinalOutcome,
    Position,
    Stage,
    StageMove,
)
from secondround.hiring.role_templates import role_templates
from secondround.hiring.selectors import can_create_positions, can_edit_company, require_manager
from secondround.limits import MOVE_REASON_MAX
from secondround.revisions import require_current

# Where an application may go next. Rejected and withdrawn can be reopened, with a reason.
ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.APPLIED: {Stage.FIRST_ROUND, Stage.SECOND_ROUND, Stage.REJECTED, Stage.WITHDRAWN},
    Stage.FIRST_ROUND: {Stage.SECOND_ROUND, Stage.REJECTED, Stage.WITHDRAWN},
    Stage.SECOND_ROUND: {Stage.DECISION, Stage.FIRST_ROUND, Stage.REJECTED, Stage.WITHDRAWN},
    Stage.DECISION: {Stage.OFFER, Stage.SECOND_ROUND, Stage.REJECTED, Stage.WITHDRAWN},
    Stage.OFFER: {Stage.HIRED, Stage.DECISION, Stage.REJECTED, Stage.WITHDRAWN},
    Stage.HIRED: set(),
    Stage.REJECTED: {Stage.APPLIED, Stage.FIRST_ROUND, Stage.SECOND_ROUND},
    Stage.WITHDRAWN: {Stage.APPLIED, Stage.FIRST_ROUND, Stage.SECOND_ROUND},
}
MOVES_NEEDING_A_REASON = {Stage.REJECTED, Stage.WITHDRAWN}
# The debrief decides and the stage follows: these stages need a recorded hire decision.
MOVES_NEEDING_A_HIRE_DECISION = {Stage.OFFER, Stage.HIRED}
# No ghosting: a finalist's application closes only after an outcome message (offer or "not this
# time", recorded by messaging in outcome_sent_at) or with a recorded reason why none was sent.
FINALIST_STAGES = {Stage.SECOND_ROUND, Stage.DECISION, Stage.OFFER}
CLOSED_STAGES = {Stage.REJECTED, Stage.WITHDRAWN, Stage.HIRED}
# The final outcome that tells the candidate of each closing stage. A candidate last told of an
# offer is not closed as rejected on that word (nor one told "not this time" as hired). A
# withdrawal is the candidate's own act (often: they declined the offer), so any outcome does.
CLOSING_TOLD_BY: dict[str, str] = {
    Stage.REJECTED: FinalOutcome.NOT_THIS_TIME,
    Stage.HIRED: FinalOutcome.OFFER,
}
POSITION_FIELDS = (
    "title", "department", "summary", "responsibilities", "expectations", "status",
    "share_scenario_brief",
)  # fmt: skip
COMPETENCY_FIELDS = (
    "name",
    "kind",
    "description",
    "weight",
    "must_have",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
    "anchor_5",
)
CANDIDATE_FIELDS = ("full_name", "email", "phone", "location", "source")


def require_organisation_members(people: Mapping[str, Iterable[User]]) -> None:
    """Refuse anyone outside the organisation (job seekers, deactivated people) on a team.

    `people` maps the field being set (``recruiters``, ``interviewers``, ``hiring_manager``) to
    the people proposed for it; the error names the field and the people refused.
    """
    errors = {
        field: _("%s cannot join a hiring team or panel: only active colleagues can.")
        % ", ".join(sorted(person.email for person in outsiders))
        for field, group in people.items()
        if (outsiders := [person for person in group if not person.is_organisation_member])
    }
    if errors:
        raise ValidationError(errors)


def require_not_own_candidates(position: Position, people: Mapping[str, Iterable[User]]) -> None:
    """Refuse, on a position's team, a colleague who is also a candidate for it.

    An internal candidate is welcome, but nobody may rate, schedule or read the debrief of
    their own application. Emails are compared without case; the error names the field.
    """
    applicants = {
        email.lower()
        for email in Candidate.objects.filter(applications__position=position).values_list(
            "email", flat=True
        )
    }
    errors = {
        field: _("%s applied for this position, so cannot be on its hiring team or panel.")
        % ", ".join(sorted(person.email for person in own))
        for field, group in people.items()
        if (own := [person for person in group if person.email.lower() in applicants])
    }
    if errors:
        raise ValidationError(errors)


def require_not_on_team(position: Position, email: str) -> None:
    """Refuse a candidate whose email is a member's of the position's team: its hiring
    manager, recruiters, panel or anyone seated in its loop (the converse of
    :func:`require_not_own_candidates`)."""
    team = User.objects.filter(
        Q(managed_positions=position)
        | Q(recruiting_positions=position)
        | Q(panel_positions=position)
        | Q(seats__session__plan__position=position)
    )
    if team.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _(
                "%s is on this position's hiring team or panel: take them off it first, "
                "so nobody assesses their own application."
            ) % email}
        )  # fmt: skip


def _set_fields(instance: Any, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for name, value in data.items():
        # As a form would: text of only spaces is empty, so full_clean() refuses a blank name.
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


# --- company ------------------------------------------------------------------------------


@transaction.atomic
def update_company_profile(
    *, actor: User, fields: Mapping[str, Any], values: Sequence[Mapping[str, str]]
) -> CompanyProfile:
    """Replace the company profile and its list of values in one go."""
    if not can_edit_company(actor):
        raise PermissionDenied(_("Only admins and hiring managers can edit the company profile."))
    profile = CompanyProfile.objects.first() or CompanyProfile()
    _set_fields(profile, fields, [f.name for f in CompanyProfile._meta.fields if f.name != "id"])
    profile.full_clean()
    profile.save()
    names = [v["name"].strip().lower() for v in values]
    if len(names) != len(set(names)):
        raise ValidationError({"values": _("Two values have the same name.")})
    profile.values.all().delete()
    for order, value in enumerate(values):
        item = CompanyValue(company=profile, order=order, **value)
        item.full_clean()
        item.save()
    return profile


# --- positions and competencies -----------------------------------------------------------


@transaction.atomic
def create_position_from_template(
    *,
    actor: User,
    template_slug: str,
    title: str = "",
    department: Department | str | None = None,
    hiring_manager: User | None = None,
    recruiters: Sequence[User] = (),
    interviewers: Sequence[User] = (),
) -> Position:
    """A new open position with the role family's summary, expectations and competencies.

    `department` may be a name (the API's): found or made by `department_named`, inside this
    transaction, so a refused position leaves no new department behind.
    """
    if not can_create_positions(actor):
        raise PermissionDenied(_("Only admins, hiring managers and recruiters create positions."))
    template = role_templates().get(template_slug)
    if template is None:
        raise ValidationError({"template": _("Unknown role template “%s”.") % template_slug})
    require_organisation_members(
        {
            "hiring_manager": [hiring_manager] if hiring_manager else [],
            "recruiters": recruiters,
            "interviewers": interviewers,
        }
    )
    if isinstance(department, str):
        department = department_named(department)
    if department is None:
        department, _created = Department.objects.get_or_create(name=template.department)
    position = Position(
        title=title.strip() or template.name,
        department=department,
        role_family=template.slug,
        summary=template.summary,
        responsibilities="\n".join(template.responsibilities),
        expectations="\n".join(template.expectations),
        hiring_manager=hiring_manager or actor,
    )
    position.full_clean()
    position.save()
    position.recruiters.set(recruiters)
    position.interviewers.set(interviewers)
    for order, competency in enumerate(template.competencies):
        Competency.objects.create(
            position=position,
            order=order,
            name=competency.name,
            kind=competency.kind,
            description=competency.description,
            weight=competency.weight,
            must_have=competency.must_have,
            **{f"anchor_{point}": text for point, text in enumerate(competency.anchors, start=1)},
        )
    return position


@transaction.atomic
def update_position(
    *,
    actor: User,
    position: Position,
    fields: Mapping[str, Any],
    recruiters: Sequence[User] | None = None,
    interviewers: Sequence[User] | None = None,
    based_on: str | None = None,
) -> Position:
    """Change a position's details and team. ``based_on``: the revision the edit page was
    opened at (:mod:`secondround.revisions`), so a change made since is not overwritten."""
    require_manager(actor, position)
    proposed = {"recruiters": recruiters or [], "interviewers": interviewers or []}
    require_organisation_members(proposed)
    require_not_own_candidates(position, proposed)
    stored = (  # of=self: PostgreSQL locks no outer-joined (nullable) row
        Position.objects.select_for_update(of=("self",))
        .select_related("edited_by")
        .get(pk=position.pk)
    )
    if _same_as_stored(stored, fields, recruiters, interviewers):
        # No change, so no new revision: a colleague who opened the page before can still save.
        return stored
    require_current(based_on, stored.edited_at, stored.edited_by, actor=actor)
    _set_fields(position, fields, POSITION_FIELDS)
    position.edited_at, position.edited_by = timezone.now(), actor
    position.full_clean()
    position.save()
    changes = []
    for name, people in (("recruiters", recruiters), ("panel", interviewers)):
        if people is None:
            continue
        group = position.recruiters if name == "recruiters" else position.interviewers
        before = set(group.values_list("email", flat=True))
        group.set(people)
        after = {person.email for person in people}
        if before != after:
            added, removed = sorted(after - before), sorted(before - after)
            changes.append(
                f"{name}: " + "; ".join(
                    part for part in (
                        f"added {', '.join(added)}" if added else "",
                        f"removed {', '.join(removed)}" if removed else "",
                    ) if part
                )
            )  # fmt: skip
    if changes:
        record_event(
            actor=actor,
            action=AuditAction.PANEL_CHANGED,
            target=position,
            summary=f"position #{position.pk}: " + " | ".join(changes),
        )
    return position


def _same_as_stored(
    stored: Position,
    fields: Mapping[str, Any],
    recruiters: Sequence[User] | None,
    interviewers: Sequence[User] | None,
) -> bool:
    """Whether a save would change nothing (the same form posted twice is no clash)."""
    same_fields = all(
        getattr(stored, name) == (value.strip() if isinstance(value, str) else value)
        for name, value in fields.items()
        if name in POSITION_FIELDS
    )
    same_team = all(
        people is None or set(group.all()) == set(people)
        for group, people in ((stored.recruiters, recruiters), (stored.interviewers, interviewers))
    )
    return same_fields and same_team


@transaction.atomic
def save_competency(
    *,
    actor: User,
    position: Position,
    fields: Mapping[str, Any],
    competency: Competency | None = None,
) -> Competency:
    """Create a competency on the position, or change one it already has."""
    require_manager(actor, position)
    if competency is None:
        competency = Competency(position=position, order=position.competencies.count())
    elif competency.position_id != position.pk:
        raise ValidationError({"competency": _("This competency belongs to another position.")})
    stored_name = competency.name
    _set_fields(competency, fields, COMPETENCY_FIELDS)
    if competency.pk is None or competency.name != stored_name:
        _require_distinct_competency_name(competency)
    competency.full_clean()
    competency.save()
    return competency


def _require_distinct_competency_name(competency: Competency) -> None:
    """One position's competency names differ by more than case: "python" beside "Python"
    would be two rows of one competency in every scorecard and debrief.

    Compared in Python (``casefold``), since SQLite's ``iexact`` folds ASCII letters only.
    Checked when a name is given or changed, so a pair stored before this rule still takes
    other changes (a weight saved from the debrief).
    """
    wanted = competency.name.casefold()
    others = competency.position.competencies.exclude(pk=competency.pk).values_list(
        "name", flat=True
    )
    clash = next((name for name in others if name.casefold() == wanted), None)
    if clash is not None and wanted:
        raise ValidationError(
            {
                "name": _("This position already has a competency named “%(name)s”.")
                % {"name": clash}
            }
        )


@transaction.atomic
def delete_competency(*, actor: User, competency: Competency) -> None:
    require_manager(actor, competency.position)
    competency.delete()


# --- candidates and applications -----------------------------------------------------------


@transaction.atomic
def add_candidate_to_position(
    *, actor: User, position: Position, fields: Mapping[str, Any]
) -> Application:
    """Add a candidate (or find them by email) and open their application at “applied”."""
    require_manager(actor, position)
    email = str(fields.get("email", "")).strip().lower()
    if email:
        require_not_on_team(position, email)
    candidate = Candidate.objects.filter(email=email).first() if email else None
    if candidate is None:
        candidate = Candidate()
        _set_fields(candidate, {**fields, "email": email}, CANDIDATE_FIELDS)
        candidate.full_clean()
        candidate.save()
    if Application.objects.filter(candidate=candidate, position=position).exists():
        raise ValidationError({"email": _("%s already applied for this position.") % email})
    application = Application.objects.create(candidate=candidate, position=position)
    StageMove.objects.create(
        application=application, to_stage=Stage.APPLIED, moved_by=actor, reason=_("Added")
    )
    return application


@transaction.atomic
def update_candidate(*, actor: User, candidate: Candidate, fields: Mapping[str, Any]) -> Candidate:
    positions = [a.position for a in candidate.applications.select_related("position")]
    if not positions and not actor.is_org_admin:
        raise PermissionDenied
    for position in positions:  # admins too: not a rival's record on a position they applied for
        require_manager(actor, position)
    if "email" in fields:
        fields = {**fields, "email": str(fields["email"]).strip().lower()}
        for position in positions:
            require_not_on_team(position, fields["email"])
    _set_fields(candidate, fields, CANDIDATE_FIELDS)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def move_application(
    *,
    actor: User,
    application: Application,
    to_stage: str,
    reason: str = "",
    no_outcome_reason: str = "",
) -> Application:
    """Move an application to another stage and record who did it, when and why.

    Closing a finalist's application needs an outcome message sent first, or
    ``no_outcome_reason`` (kept on the application). Entering round two sets the promised
    decision date from the policy when there is none.
    """
    require_manager(actor, application.position)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if to_stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage “%s”.") % to_stage})
    if to_stage == application.stage:
        return application  # posted again (a stale tab): it is there already, nothing to record
    if to_stage not in ALLOWED_MOVES[application.stage]:
        raise ValidationError(
            {
                "stage": _("An application cannot move from %(from)s to %(to)s.")
                % {"from": Stage(application.stage).label, "to": Stage(to_stage).label}
            }
        )
    _require_hire_decision(application, to_stage)
    reason = reason.strip()
    if to_stage in MOVES_NEEDING_A_REASON and not reason:
        raise ValidationError({"reason": _("Say why, so the candidate's record is complete.")})
    _require_outcome_or_reason(application, to_stage, no_outcome_reason.strip())
    StageMove.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=to_stage,
        moved_by=actor,
        reason=reason,
    )
    application.stage = to_stage
    application.stage_changed_at = timezone.now()
    if to_stage == Stage.SECOND_ROUND and application.promised_decision_on is None:
        application.promised_decision_on = timezone.localdate() + timedelta(
            days=settings.SECONDROUND_PROMISED_DECISION_DAYS
        )
    application.save(
        update_fields=["stage", "stage_changed_at", "promised_decision_on", "no_outcome_reason"]
    )
    if to_stage in CLOSED_STAGES:
        # In this transaction: a closed application keeps no conversation ahead of it.
        closing_steps().application_closed(actor=actor, application=application)
    transaction.on_commit(lambda: _notify_stage_move(application.pk, to_stage))
    return application


def allowed_moves(application: Application) -> list[str]:
    """The stages the application may move to now, in the order of ``Stage``: the allowed
    moves, less an offer (or hired) while no hire decision is recorded."""
    hire = decision_facts().decided_to_hire(application.pk)
    return [
        stage
        for stage in Stage.values
        if stage in ALLOWED_MOVES[application.stage]
        and (hire or stage not in MOVES_NEEDING_A_HIRE_DECISION)
    ]


def _require_hire_decision(application: Application, to_stage: str) -> None:
    if to_stage not in MOVES_NEEDING_A_HIRE_DECISION:
        return
    if not decision_facts().decided_to_hire(application.pk):
        raise ValidationError(
            {
                "stage": _(
                    "%(candidate)s can move to %(stage)s only on a recorded hire decision: "
                    "record it in the debrief first (it moves them to Offer itself)."
                )
                % {"candidate": application.candidate, "stage": Stage(to_stage).label}
            }
        )


def _require_outcome_or_reason(application: Application, to_stage: str, why_not: str) -> None:
    closing_a_finalist = application.stage in FINALIST_STAGES and to_stage in CLOSED_STAGES
    if not closing_a_finalist or _told_of(application, to_stage):
        return
    if not why_not:
        raise ValidationError({"no_outcome_reason": _untold(application)})
    if len(why_not) > MOVE_REASON_MAX:
        raise ValidationError({"no_outcome_reason": _("At most %d characters.") % MOVE_REASON_MAX})
    application.no_outcome_reason = why_not


def _told_of(application: Application, to_stage: str) -> bool:
    """Whether the final outcome sent tells the candidate of this closing stage.

    A row from before ``final_outcome`` was kept has only the time: trusted as before."""
    if application.outcome_sent_at is None:
        return False
    told = application.final_outcome
    expected = CLOSING_TOLD_BY.get(to_stage)
    return not told or expected is None or told == expected


def _untold(application: Application) -> str:
    if application.final_outcome == FinalOutcome.OFFER:
        text = _(
            "%(candidate)s was last told of an offer. Send “not this time” as a correction "
            "first, or say why they are not told (for example: you told them by phone)."
        )
    elif application.final_outcome == FinalOutcome.NOT_THIS_TIME:
        text = _(
            "%(candidate)s was last told “not this time”. Send the offer as a correction "
            "first, or say why they are not told (for example: you told them by phone)."
        )
    else:
        text = _(
            "%(candidate)s has not been sent an outcome message. Send one first, or "
            "say why they are not told (for example: they withdrew themselves)."
        )
    return text % {"candidate": application.candidate}


def _notify_stage_move(application_id: int, to_stage: str) -> None:
    from secondround.hiring.tasks import notify_hiring_manager_of_finalist

    if to_stage == Stage.SECOND_ROUND:
        notify_hiring_manager_of_finalist.enqueue(application_id)


@transaction.atomic
def delete_application(*, actor: User, application: Application) -> None:
    """Remove an application entered by mistake (its history goes with it)."""
    require_manager(actor, application.position)
    application.delete()
