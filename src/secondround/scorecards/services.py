"""Writes for scorecards: round-one ratings, entered by hand or imported from a file."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import Role, User
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event
from secondround.hiring.models import Application, Competency, Position
from secondround.hiring.selectors import managed_positions, require_manager
from secondround.hiring.services import require_not_own_candidates, require_organisation_members
from secondround.ids import is_valid_id
from secondround.loops.items import refresh_clarification_items
from secondround.loops.models import ClarificationItem, ItemStatus, Seat
from secondround.loops.selectors import holds_seat
from secondround.scorecards.import_writer import RatingWrite, plan_writes, write_plan
from secondround.scorecards.importer import (
    COLUMNS,
    ImportRejected,
    Problem,
    RatingRow,
    read_rating_rows,
)
from secondround.scorecards.models import (
    ItemResolution,
    Rating,
    Resolution,
    Scorecard,
    ScorecardRevision,
    ScorecardStatus,
)

COLUMN_ORDER = {"": -1} | {name: order for order, name in enumerate(COLUMNS)}
RATING_FIELDS = ("rating", "confidence", "notes", "concern")


class RatingEntry(TypedDict, total=False):
    """One competency's rating on a scorecard (`Rating`'s value fields)."""

    rating: int | None
    confidence: int | None
    notes: str
    concern: bool
    shareable: bool


class ResolutionEntry(TypedDict, total=False):
    """What the interviewer found about one clarification item (`ItemResolution`)."""

    status: str
    note: str


class OverallEntry(TypedDict, total=False):
    """The scorecard's overall view (`Scorecard`'s value fields)."""

    recommendation: str
    confidence: int | None
    takeaways: str


@dataclass(frozen=True)
class ScorecardInput:
    """What an interviewer entered: per competency id, per item id, and the overall view.

    Each entry holds only the fields that were sent (autosave sends what validated); a
    field left out keeps its stored value.
    """

    ratings: Mapping[int, RatingEntry]
    resolutions: Mapping[int, ResolutionEntry]
    overall: OverallEntry


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    scorecards: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def import_first_round(
    *, actor: User, filename: str, content: bytes, position: Position | None = None
) -> ImportResult:
    """Store round-one ratings from CSV or JSON, all or nothing, idempotently, then turn what
    they left open into clarification items for each position the file touched (one user
    action: the web page, the API and the CLI all call this and nothing else).

    Raises ImportRejected listing every problem (line and column) when any row is wrong;
    nothing is stored then. Importing the same file again changes nothing. Checking writes
    nothing; the writing is chunked so a large file does not hold the database's write lock
    (see `import_writer`).
    """
    if position is not None:
        require_manager(actor, position)
    parsed = read_rating_rows(filename, content)
    resolved, problems = _resolve(parsed.rows, parsed.unit, actor=actor, position=position)
    # Rows refused for their values are looked up too, so one pass reports every problem.
    _, name_problems = _resolve(parsed.lookup_only, parsed.unit, actor=actor, position=position)
    problems = sorted(
        parsed.problems + problems + name_problems,
        key=lambda p: (p.line, COLUMN_ORDER[p.column]),
    )
    if problems:
        raise ImportRejected(problems)
    writes = [
        RatingWrite(application.pk, interviewer.pk, competency.pk, _rating_values(row))
        for row, application, interviewer, competency in resolved
    ]
    plan = plan_writes(writes, RATING_FIELDS)
    write_plan(plan, RATING_FIELDS)
    touched = {application.position_id for _row, application, _i, _c in resolved}
    for touched_position in Position.objects.filter(pk__in=touched).order_by("pk"):
        refresh_clarification_items(position=touched_position)
    return ImportResult(
        len(plan.new_ratings), len(plan.changed_ratings), plan.unchanged, plan.scorecards
    )


def _rating_values(row: RatingRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in RATING_FIELDS}


Resolved = tuple[RatingRow, Application, User, Competency]


def _resolve(
    rows: Sequence[RatingRow], unit: str, *, actor: User, position: Position | None
) -> tuple[list[Resolved], list[Problem]]:
    """Find each row's application, interviewer and competency; never invent any of them."""
    positions = managed_positions(actor)
    # Every active account, so a job seeker is named as such (refused below), not "unknown".
    users = {u.email: u for u in User.objects.filter(is_active=True)}
    problems: list[Problem] = []
    resolved: list[Resolved] = []
    # A file names the same few candidates and competencies on thousands of rows: look each
    # up once, not once per row.
    applications: dict[tuple[str, str], Application | str] = {}
    competencies: dict[tuple[int, str], Competency | None] = {}
    applicants: dict[int, set[str]] = {}
    for row in rows:
        if (row.candidate_email, row.position) not in applications:
            applications[(row.candidate_email, row.position)] = _application_for(
                row, positions, position
            )
        application = applications[(row.candidate_email, row.position)]
        interviewer = users.get(row.interviewer_email)
        competency = None
        if isinstance(application, str):
            if row.candidate_email:  # a blank one is malformed, already reported
                problems.append(Problem(row.line, "candidate_email", application, unit))
        elif row.competency:
            if (application.position_id, row.competency) not in competencies:
                competencies[(application.position_id, row.competency)] = (
                    application.position.competencies.filter(name__iexact=row.competency).first()
                )
            competency = competencies[(application.position_id, row.competency)]
            if competency is None:
                problems.append(
                    Problem(row.line, "competency",
                            _("“%(c)s” is not a competency of %(p)s")
                            % {"c": row.competency, "p": application.position}, unit)
                )  # fmt: skip
        if interviewer is None:
            if row.interviewer_email:  # a blank one is malformed, already reported
                problems.append(
                    Problem(row.line, "interviewer_email",
                            _("no active user has the email %s") % row.interviewer_email, unit)
                )  # fmt: skip
        elif interviewer.role == Role.JOB_SEEKER:
            problems.append(
                Problem(row.line, "interviewer_email",
                        _("%s is a job seeker's account, outside the organisation: not an "
                          "interviewer") % row.interviewer_email, unit)
            )  # fmt: skip
            interviewer = None
        elif not isinstance(application, str) and _applied(interviewer, application, applicants):
            problems.append(
                Problem(row.line, "interviewer_email",
                        _("%(e)s applied for %(p)s, so cannot rate its candidates")
                        % {"e": row.interviewer_email, "p": application.position}, unit)
            )  # fmt: skip
            interviewer = None
        if interviewer and competency and not isinstance(application, str):
            resolved.append((row, application, interviewer, competency))
    return resolved, problems


def _applied(person: User, application: Application, seen: dict[int, set[str]]) -> bool:
    """Whether ``person`` is a candidate for the application's position (each position's
    candidates looked up once a file, in ``seen``)."""
    position_id = application.position_id
    if position_id not in seen:
        emails = Application.objects.filter(position_id=position_id).values_list(
            "candidate__email", flat=True
        )
        seen[position_id] = {email.lower() for email in emails}
    return person.email.lower() in seen[position_id]


def _application_for(
    row: RatingRow, positions: Any, position: Position | None
) -> Application | str:
    """The row's application, or a sentence saying why it cannot be found."""
    applications = Application.objects.select_related("position", "candidate").filter(
        candidate__email=row.candidate_email, position__in=positions
    )
    if position is not None:
        applications = applications.filter(position=position)
    elif row.position:
        by = {"position_id": int(row.position)} if is_valid_id(row.position) else {
            "position__title__iexact": row.position
        }  # fmt: skip
        applications = applications.filter(**by)
    found = list(applications[:2])
    if not found:
        return _("no application you manage for %s") % row.candidate_email
    if len(found) > 1:
        return _("%s applied for several positions: add a position column") % row.candidate_email
    return found[0]


def _round_one_scorecard(application: Application, interviewer: User) -> Scorecard:
    scorecard, _created = Scorecard.objects.get_or_create(
        application=application,
        interviewer=interviewer,
        round=Scorecard.Round.ONE,
        defaults={"status": ScorecardStatus.SUBMITTED, "submitted_at": timezone.now()},
    )
    return scorecard


def _upsert_rating(scorecard: Scorecard, competency: Competency, values: Mapping[str, Any]) -> str:
    rating = Rating.objects.filter(scorecard=scorecard, competency=competency).first()
    if rating is None:
        rating = Rating(scorecard=scorecard, competency=competency, **values)
        rating.full_clean()
        rating.save()
        return "created"
    if all(getattr(rating, name) == value for name, value in values.items()):
        return "unchanged"
    for name, value in values.items():
        setattr(rating, name, value)
    rating.full_clean()
    rating.save()
    return "updated"


@transaction.atomic
@transaction.atomic
def save_round_one_scorecard(
    *,
    actor: User,
    application: Application,
    interviewer: User,
    ratings: Mapping[int, Mapping[str, Any]],
) -> Scorecard:
    """Enter one interviewer's round-one ratings by hand ({competency id: values}) and refresh
    the position's clarification items, in one transaction."""
    require_manager(actor, application.position)
    require_organisation_members({"interviewer": [interviewer]})
    require_not_own_candidates(application.position, {"interviewer": [interviewer]})
    competencies = {c.pk: c for c in application.position.competencies.all()}
    unknown = [pk for pk in ratings if pk not in competencies]
    if unknown:
        raise ValidationError({"competency": _("Unknown competency for this position.")})
    scorecard = _round_one_scorecard(application, interviewer)
    for pk, values in ratings.items():
        _upsert_rating(scorecard, competencies[pk], {k: values.get(k) for k in RATING_FIELDS})
    refresh_clarification_items(position=application.position)
    return scorecard


# --- round two: the interviewer's own scorecard -----------------------------------------------

OVERALL_FIELDS = ("recommendation", "confidence", "takeaways")


@transaction.atomic
def open_round_two_scorecard(*, actor: User, seat: Seat, application: Application) -> Scorecard:
    """The interviewer's scorecard for this finalist, with a row per focus competency."""
    if not holds_seat(actor, seat, application):
        raise PermissionDenied(_("Only the interviewer in this seat fills in its scorecard."))
    if application.position_id != seat.session.plan.position_id:
        raise ValidationError({"application": _("This finalist is not in this loop.")})
    scorecard, _created = Scorecard.objects.get_or_create(
        application=application, interviewer=actor, round=Scorecard.Round.TWO,
        defaults={"session": seat.session},
    )  # fmt: skip
    for competency in seat.competencies.all():
        Rating.objects.get_or_create(scorecard=scorecard, competency=competency)
    for item in ClarificationItem.objects.filter(application=application, session=seat.session):
        ItemResolution.objects.get_or_create(scorecard=scorecard, item=item)
    return scorecard


def _snapshot(scorecard: Scorecard) -> dict[str, Any]:
    return {
        **{name: getattr(scorecard, name) for name in OVERALL_FIELDS},
        **{
            f"{r.competency.name}": {"rating": r.rating, "notes": r.notes, "shareable": r.shareable}
            for r in scorecard.ratings.select_related("competency")
        },
        **{
            f"item {x.item_id}": {"status": x.status, "note": x.note}
            for x in scorecard.resolutions.all()
        },
    }


def _refuse_unknown_rows(
    data: ScorecardInput, ratings: list[Rating], resolutions: list[ItemResolution]
) -> None:
    """A rating or item the scorecard does not hold is an error, never silently dropped."""
    errors: dict[str, str] = {}
    unknown = set(data.ratings) - {rating.competency_id for rating in ratings}
    if unknown:
        errors["ratings"] = _(
            "Competency %(ids)s is not on this scorecard: rate only the seat's competencies."
        ) % {"ids": ", ".join(str(pk) for pk in sorted(unknown))}
    stray = set(data.resolutions) - {resolution.item_id for resolution in resolutions}
    if stray:
        errors["resolutions"] = _("Item %(ids)s is not on this scorecard.") % {
            "ids": ", ".join(str(pk) for pk in sorted(stray))
        }
    if errors:
        raise ValidationError(errors)


def _apply(scorecard: Scorecard, data: ScorecardInput, version: str | None) -> None:
    """Write what was entered, if the scorecard is still the ``version`` the writer loaded
    (None: no check, for API scripts that send none)."""
    if version is not None and not VERSION_SHAPE.fullmatch(version):
        # Not a version this app gave out (a typo, a script's junk): a bad value, not a clash.
        raise ValidationError(
            {"version": ValidationError(
                _("Not a version of a scorecard: send back the “version” read with it, or none."),
                code="invalid",
            )}
        )  # fmt: skip
    _lock(scorecard)
    ratings = list(scorecard.ratings.all())
    resolutions = list(scorecard.resolutions.all())
    if version is not None and version != _fingerprint(scorecard, ratings, resolutions):
        raise StaleScorecard
    _refuse_unknown_rows(data, ratings, resolutions)
    overall = {name: value for name, value in data.overall.items() if name in OVERALL_FIELDS}
    _save_changed(scorecard, overall)
    for rating in ratings:
        _save_changed(rating, data.ratings.get(rating.competency_id, {}))
    for resolution in resolutions:
        _save_changed(resolution, data.resolutions.get(resolution.item_id, {}))


def _save_changed(row: models.Model, values: Mapping[str, Any]) -> None:
    """Set the values, then validate and write only the fields that changed.

    Autosave sends the whole form every few seconds: rewriting every row, each after a
    uniqueness and foreign-key check, cost three queries a row. Only value fields change
    here, never a row's keys, so the changed fields' own validation is all there is to check.
    """
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(row, name, values[name])
    unchanged = [f.name for f in row._meta.concrete_fields if f.name not in changed]
    row.full_clean(exclude=unchanged, validate_unique=False, validate_constraints=False)
    if any(f.name == "updated_at" for f in row._meta.concrete_fields):
        changed.append("updated_at")  # auto_now is written only when named
    row.save(update_fields=changed)


def _check_complete(scorecard: Scorecard) -> None:
    """Every rating given has its evidence; the overall view is there."""
    errors: dict[str, str] = {}
    for rating in scorecard.ratings.select_related("competency"):
        if rating.rating is not None and not rating.notes.strip():
            errors[f"notes_{rating.competency_id}"] = _(
                "Write what the candidate said or did that earned this rating."
            )
    if not scorecard.recommendation:
        errors["recommendation"] = _("Give an overall recommendation.")
    if scorecard.confidence is None:
        errors["confidence"] = _("Say how confident you are.")
    if errors:
        raise ValidationError(errors)


class StaleScorecard(ValidationError):
    """A save from a copy of the scorecard older than the stored one (another tab or device
    saved in between): refused whole, so neither copy silently overwrites the other."""

    def __init__(self) -> None:
        super().__init__(
            {"version": ValidationError(
                _("It was changed in another tab or on another device after this page loaded, "
                  "and saving here would overwrite that. Reload the page to continue from the "
                  "latest version."),
                code="stale",
            )}
        )  # fmt: skip


# What scorecard_version() gives out: 16 lowercase hexadecimal digits.
VERSION_SHAPE = re.compile(r"[0-9a-f]{16}")


def scorecard_version(scorecard: Scorecard) -> str:
    """The token a page or script loads with and sends back with its save (see `_apply`)."""
    return _fingerprint(scorecard, list(scorecard.ratings.all()), list(scorecard.resolutions.all()))


def _fingerprint(
    scorecard: Scorecard, ratings: Sequence[Rating], resolutions: Sequence[ItemResolution]
) -> str:
    """A short hash of everything the interviewer can change. It is a version that needs no
    write of its own: a save that changes one rating writes only that rating (autosave runs
    every few seconds), yet any change by another tab or device changes the hash."""
    values = [
        scorecard.status,
        [getattr(scorecard, name) for name in OVERALL_FIELDS],
        sorted([r.competency_id, r.rating, r.confidence, r.notes, r.concern, r.shareable]
               for r in ratings),
        sorted([x.item_id, x.status, x.note] for x in resolutions),
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(values, default=str).encode()).hexdigest()[:16]


def _lock(scorecard: Scorecard) -> None:
    """Hold the scorecard's row until the save commits (PostgreSQL; SQLite's transactions
    take the write lock at their start), so two racing saves are checked one after the
    other, and read its overall view as stored now."""
    stored = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    for name in ("status", *OVERALL_FIELDS):
        setattr(scorecard, name, getattr(stored, name))


def _require_owner(actor: User, scorecard: Scorecard) -> None:
    if scorecard.interviewer_id != actor.pk:
        raise PermissionDenied(_("Only its interviewer changes a scorecard."))


@transaction.atomic
def write_round_two_scorecard(
    *,
    actor: User,
    seat: Seat,
    application: Application,
    data: ScorecardInput,
    submit: bool,
    version: str | None = None,
) -> Scorecard:
    """Open the interviewer's scorecard for this seat and finalist, then save it as a draft
    or submit it: one action for a client that sends the whole scorecard at once (the API)."""
    scorecard = open_round_two_scorecard(actor=actor, seat=seat, application=application)
    write = submit_scorecard if submit else save_draft
    return write(actor=actor, scorecard=scorecard, data=data, version=version)


@transaction.atomic
def save_draft(
    *, actor: User, scorecard: Scorecard, data: ScorecardInput, version: str | None = None
) -> Scorecard:
    """Keep whatever the interviewer has typed so far; nothing is required yet. ``version``
    is the one the page (or script) loaded: a save from an older copy is refused."""
    _require_owner(actor, scorecard)
    if scorecard.status != ScorecardStatus.DRAFT:
        raise ValidationError({"status": _("Submitted: changes now need a reason.")})
    _apply(scorecard, data, version)
    return scorecard


@transaction.atomic
def submit_scorecard(
    *, actor: User, scorecard: Scorecard, data: ScorecardInput, version: str | None = None
) -> Scorecard:
    """Lock the scorecard; from now on the interviewer may see colleagues' ratings."""
    _require_owner(actor, scorecard)
    if scorecard.status != ScorecardStatus.DRAFT:
        raise ValidationError({"status": _("This scorecard is already submitted.")})
    _apply(scorecard, data, version)
    _check_complete(scorecard)
    scorecard.status, scorecard.submitted_at = ScorecardStatus.SUBMITTED, timezone.now()
    scorecard.save(update_fields=["status", "submitted_at"])
    _carry_resolutions(scorecard)
    transaction.on_commit(lambda: _after_submit(scorecard.application_id))
    return scorecard


@transaction.atomic
def amend_scorecard(
    *,
    actor: User,
    scorecard: Scorecard,
    data: ScorecardInput,
    reason: str,
    version: str | None = None,
) -> Scorecard:
    """Change a submitted scorecard; the change and its reason are kept."""
    _require_owner(actor, scorecard)
    if scorecard.status != ScorecardStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted scorecard is amended.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you are changing a submitted scorecard.")})
    before = _snapshot(scorecard)
    _apply(scorecard, data, version)
    _check_complete(scorecard)
    after = _snapshot(scorecard)
    changes = [
        {"field": key, "before": before.get(key), "after": value}
        for key, value in after.items()
        if before.get(key) != value
    ]
    ScorecardRevision.objects.create(
        scorecard=scorecard, changed_by=actor, reason=reason.strip(), changes=changes
    )
    record_event(
        actor=actor,
        action=AuditAction.SCORECARD_AMENDED,
        target=scorecard,
        summary=f"application #{scorecard.application_id}: {len(changes)} fields changed",
    )
    return scorecard


def _carry_resolutions(scorecard: Scorecard) -> None:
    """What the interviewer found about round one's open items becomes the items' status."""
    for resolution in scorecard.resolutions.select_related("item"):
        item = resolution.item
        if resolution.status == Resolution.RESOLVED or (
            resolution.status == Resolution.PARTLY_RESOLVED and item.status == ItemStatus.OPEN
        ):
            item.status = resolution.status  # the same words: resolved, partly_resolved
            item.save(update_fields=["status", "updated_at"])


def _after_submit(application_id: int) -> None:
    from secondround.scorecards.tasks import tell_manager_when_all_scorecards_are_in

    tell_manager_when_all_scorecards_are_in.enqueue(application_id)
