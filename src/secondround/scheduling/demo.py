"""The demo's scheduling: rooms, the policy, Inês's connected calendar, and booked loops.

- Engineering (round-two scorecards already submitted): its loops were held *last week*,
  booked by the same batch scheduler as of two weeks ago, so the Interview rows behind the
  submitted scorecards have real, past times (Grace's are the ones still to write up).
- A finalist decided since (feedback's demo): her loop was held the week before, on its own.
- Product: next week's loops booked for three finalists with one `schedule_position` call;
  the last finalist (Ravi Shah) is left unbooked, for the candidate options of the bookings app.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from secondround.accounts.models import User
from secondround.hiring.models import Application, Interview, Position
from secondround.loops.services import accept_plan, finalists, propose_loop
from secondround.scheduling import services
from secondround.scheduling.demo_feed import DEMO_FEED_URL
from secondround.scheduling.models import PersonAvailability, SchedulingPolicy

ROOMS = [("Osprey", 6, "3rd floor, by the kitchen"), ("Kestrel", 4, "3rd floor, east"),
         ("Harrier", 10, "Ground floor, the big one")]  # fmt: skip
UNBOOKED = "Ravi Shah"
DEMO_SOLVE_SECONDS = 8.0


def load_demo(people: dict[str, User], engineer: Position, product: Position) -> None:
    SchedulingPolicy.objects.get_or_create(pk=1)
    for name, capacity, location in ROOMS:
        services.save_room(people["admin"], None, name=name, capacity=capacity, location=location)
    # Luis keeps Fridays free of interviews; Noah works four days.
    PersonAvailability.objects.create(
        user=people["noah"], time_zone="Europe/Berlin",
        working_hours={str(d): [["09:00", "16:00"]] for d in range(4)},
    )  # fmt: skip
    connection = services.connect_calendar(people["ines"], kind="ical", url=DEMO_FEED_URL)
    services.refresh_calendar(connection)
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    last_week = this_monday - timedelta(days=7)
    as_of = timezone.make_aware(datetime.combine(last_week - timedelta(days=7), time(9)))
    held = services.schedule_position(
        engineer, last_week, people["hana"], now=as_of, time_limit_seconds=DEMO_SOLVE_SECONDS
    )
    _require_all_placed(held)
    # Those loops were held last week: their scorecard reminders went out then, not at start-up.
    Interview.objects.filter(application__position=engineer, starts_at__lt=timezone.now()).update(
        reminded_at=F("starts_at") + timedelta(hours=4)
    )
    plan = propose_loop(actor=people["luis"], position=product)
    accept_plan(actor=people["luis"], plan=plan)
    to_book = [a for a in finalists(product) if a.candidate.full_name != UNBOOKED]
    upcoming = services.schedule_position(
        product, this_monday + timedelta(days=7), people["luis"], applications=to_book,
        time_limit_seconds=DEMO_SOLVE_SECONDS,
    )  # fmt: skip
    _require_all_placed(upcoming)


def _require_all_placed(result: services.ScheduleResult) -> None:
    if result.unplaced:
        reasons = "; ".join(f"{a.candidate}: {' '.join(r)}" for a, r in result.unplaced)
        raise RuntimeError(f"The demo's loops could not all be booked: {reasons}")


def load_held_earlier(actor: User, position: Position, application: Application) -> None:
    """One finalist's loop, held the week before the others' (booked a week before that)."""
    today = timezone.localdate()
    week = today - timedelta(days=today.weekday() + 14)
    as_of = timezone.make_aware(datetime.combine(week - timedelta(days=7), time(9)))
    held = services.schedule_position(
        position, week, actor, applications=[application], now=as_of,
        time_limit_seconds=DEMO_SOLVE_SECONDS,
    )  # fmt: skip
    _require_all_placed(held)
    Interview.objects.filter(application=application).update(
        reminded_at=F("starts_at") + timedelta(hours=4)
    )
