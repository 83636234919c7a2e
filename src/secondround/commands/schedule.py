"""`secondround schedule`: solve (and book) a position's loops for a week, print the plan."""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import typer


def run(position_id: int, week: str, dry_run: bool, as_user: str) -> None:
    """Called by cli.py after Django is set up; exits non-zero with the message on bad input."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from secondround.accounts.models import User
    from secondround.hiring.models import Position
    from secondround.ids import is_valid_id
    from secondround.scheduling import selectors, services

    try:
        chosen = date.fromisoformat(week) if week else selectors.coming_week()
    except ValueError:
        _fail(f"--week {week!r}: give a date as YYYY-MM-DD")
    position = Position.objects.filter(pk=position_id).first() if is_valid_id(position_id) else None
    if position is None:
        _fail(f"--position {position_id}: no such position")
    # Who schedules is always said (it is recorded as theirs and runs with their access),
    # never a superuser picked on the caller's behalf.
    actor = User.objects.filter(email__iexact=as_user.strip(), is_active=True).first()
    if actor is None:
        _fail(
            f"--as {as_user!r}: No such user: pass --as with an active hiring-team member's email."
        )
    try:
        result = services.schedule_position(position, chosen, actor, dry_run=dry_run)
    except PermissionDenied:
        _fail(f"{actor.email} is not on the position's hiring team.")
    except ValidationError as error:
        _fail("; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items()))
    _print(result, selectors.policy().time_zone)
    if result.unplaced:
        raise typer.Exit(1)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _print(result: object, zone_name: str) -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    verb = "Booked" if result.booked else "Plan (dry run, nothing booked)"  # type: ignore[attr-defined]
    typer.echo(f"{verb}: week of {result.week_start:%Y-%m-%d}, times in {zone_name}")  # type: ignore[attr-defined]
    rows = [("Candidate", "Day", "Time", "Session", "Interviewers", "Room")]
    for loop in result.planned:  # type: ignore[attr-defined]
        for p in loop.placements:
            start, end = p.starts_at.astimezone(zone), p.ends_at.astimezone(zone)
            rows.append((
                loop.application.candidate.full_name, f"{start:%a %Y-%m-%d}",
                f"{start:%H:%M}-{end:%H:%M}", p.session.title,
                ", ".join(u.full_name for u in p.people.values()), p.room.name if p.room else "video",
            ))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    for application, reasons in result.unplaced:  # type: ignore[attr-defined]
        typer.echo(f"Not placed: {application.candidate.full_name}: {' '.join(reasons)}", err=True)
