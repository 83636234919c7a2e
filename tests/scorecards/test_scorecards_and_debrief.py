"""Round-two scorecards, the independence rule on every route, the debrief and decisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from secondround.accounts.models import User
from secondround.debrief.models import Decision
from secondround.debrief.services import record_decision
from secondround.hiring.models import Application, Position, Stage
from secondround.loops.models import Seat
from secondround.loops.selectors import assessing_seats
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.services import (
    ScorecardInput,
    amend_scorecard,
    open_round_two_scorecard,
    save_draft,
    submit_scorecard,
)
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def pending_seat(position: Position) -> Seat:
    """The demo leaves one interviewer (in the deep dive) who has not submitted yet."""
    submitted = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    )
    return next(
        seat
        for seat in Seat.objects.filter(session__plan__position=position).exclude(
            session__competency_kinds=[]
        )
        if not submitted.filter(interviewer=seat.interviewer).exists()
    )


def jordan(position: Position) -> Application:
    return position.applications.get(candidate__full_name="Jordan Ellis")


def test_independence_on_every_route(engineering: Position) -> None:
    seat = pending_seat(engineering)
    a = seat.interviewer
    finalist = jordan(engineering)
    colleague_notes = (
        Scorecard.objects.filter(
            application=finalist, round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
        )
        .first()
        .ratings.exclude(notes="")
        .first()
        .notes
    )  # type: ignore[union-attr]
    client = client_for(a)
    card = open_round_two_scorecard(actor=a, seat=seat, application=finalist)
    pages = [
        reverse("application", args=[finalist.pk]),
        reverse("scorecard", args=[card.pk]),
        reverse("kit", args=[seat.pk, finalist.pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert colleague_notes not in body, url
    assert Api(a).get(f"/applications/{finalist.pk}/scorecards").json() == []
    assert client.get(reverse("debrief", args=[engineering.pk])).status_code == 403
    assert client.get(reverse("debrief-pack", args=[engineering.pk])).status_code == 403
    assert Api(a).get(f"/positions/{engineering.pk}/debrief").status_code == 403

    entered = ScorecardInput(
        ratings={c.pk: {"rating": 4, "notes": "Explained the rollback plan step by step."}
                 for c in seat.competencies.all()},
        resolutions={}, overall={"recommendation": "yes", "confidence": 4},
    )  # fmt: skip
    submit_scorecard(actor=a, scorecard=card, data=entered)
    assert colleague_notes in client.get(pages[0]).content.decode()
    assert Api(a).get(f"/applications/{finalist.pk}/scorecards").json()


def test_hiring_manager_following_the_rule_sees_nothing_before_submitting(
    engineering: Position,
) -> None:
    manager = engineering.hiring_manager
    finalist = jordan(engineering)
    Scorecard.objects.filter(
        interviewer=manager, round=Scorecard.Round.TWO
    ).delete()  # not written up yet
    assert Api(manager).get(f"/applications/{finalist.pk}/scorecards").json()
    manager.follows_independence = True
    manager.save()
    assert Api(manager).get(f"/applications/{finalist.pk}/scorecards").json() == []
    body = client_for(manager).get(reverse("debrief", args=[engineering.pk])).content.decode()
    assert "Jordan Ellis" not in body.split('id="finalists"')[1].split("</table>")[0]


def test_draft_survives_and_submit_needs_evidence_for_every_rating(engineering: Position) -> None:
    seat = pending_seat(engineering)
    finalist = jordan(engineering)
    card = open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=finalist)
    competency = seat.competencies.first()
    assert competency is not None
    client = client_for(seat.interviewer)
    response = client.post(
        reverse("scorecard", args=[card.pk]),
        {
            "action": "draft",
            f"rating_{competency.pk}": "4",
            f"notes_{competency.pk}": "Half a thought",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Draft saved" in response.content.decode()
    reloaded = client.get(reverse("scorecard", args=[card.pk])).content.decode()
    assert "Half a thought" in reloaded
    with pytest.raises(ValidationError) as error:
        submit_scorecard(
            actor=seat.interviewer, scorecard=card,
            data=ScorecardInput(ratings={competency.pk: {"notes": ""}}, resolutions={}, overall={}),
        )  # fmt: skip
    assert {f"notes_{competency.pk}", "recommendation", "confidence"} <= set(
        error.value.message_dict
    )
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT


def test_submitted_scorecard_changes_need_a_reason_and_are_kept(engineering: Position) -> None:
    card = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    ).first()
    assert card is not None
    rating = card.ratings.first()
    assert rating is not None
    changed = ScorecardInput(
        ratings={rating.competency_id: {"rating": 1 if rating.rating != 1 else 2}},
        resolutions={}, overall={},
    )  # fmt: skip
    with pytest.raises(ValidationError):
        save_draft(actor=card.interviewer, scorecard=card, data=changed)
    with pytest.raises(ValidationError) as error:
        amend_scorecard(actor=card.interviewer, scorecard=card, data=changed, reason=" ")
    assert "reason" in error.value.message_dict
    amend_scorecard(actor=card.interviewer, scorecard=card, data=changed, reason="Misclicked.")
    revision = card.revisions.get()
    assert revision.reason == "Misclicked." and revision.changed_by == card.interviewer
    assert revision.changes == [
        {"field": rating.competency.name,
         "before": {"rating": rating.rating, "notes": rating.notes, "shareable": rating.shareable},
         "after": {"rating": changed.ratings[rating.competency_id]["rating"], "notes": rating.notes,
                   "shareable": rating.shareable}}
    ]  # fmt: skip


def test_only_the_seated_interviewer_writes_the_scorecard(engineering: Position) -> None:
    from django.core.exceptions import PermissionDenied

    seat = pending_seat(engineering)
    other = User.objects.get(email="ben@kestrel.example")
    with pytest.raises(PermissionDenied):
        open_round_two_scorecard(actor=other, seat=seat, application=jordan(engineering))
    card = open_round_two_scorecard(
        actor=seat.interviewer, seat=seat, application=jordan(engineering)
    )
    assert client_for(other).get(reverse("scorecard", args=[card.pk])).status_code == 404


def test_debrief_page_weights_and_cell_detail(engineering: Position) -> None:
    client = client_for(engineering.hiring_manager)
    page = client.get(reverse("debrief", args=[engineering.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    for name in ("Aisha Bello", "Sofia Rossi", "Jordan Ellis", "Mateo García"):
        assert name in body
    assert 'id="score-chart-spec"' in body and "leniency" in body.lower()
    competencies = list(engineering.competencies.all())
    # Put all the weight on one competency: the ranking must follow that competency alone.
    only = competencies[0]
    weights = {f"w{c.pk}": 5 if c == only else 0 for c in competencies}
    partial = client.get(
        reverse("debrief", args=[engineering.pk]), weights, headers={"HX-Request": "true"}
    )
    assert partial.content.decode().lstrip().startswith('<div id="results">')
    finalist = jordan(engineering)
    cell = client.get(reverse("debrief-cell", args=[engineering.pk, finalist.pk, only.pk]))
    assert "round 1" in cell.content.decode() or "round 2" in cell.content.decode()
    pdf = client.get(reverse("debrief-pack", args=[engineering.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert (
        client_for(User.objects.get(email="ben@kestrel.example"))
        .get(reverse("debrief", args=[engineering.pk]))
        .status_code
        == 404
    )


def test_decision_moves_the_stage_and_changes_keep_their_history(engineering: Position) -> None:
    manager = engineering.hiring_manager
    finalist = jordan(engineering)
    must = list(engineering.competencies.filter(must_have=True))
    with pytest.raises(ValidationError) as error:
        record_decision(
            actor=manager, application=finalist, decision="hire", reasons="", competencies=[],
            dissent=[{"person": "Priya", "view": ""}], next_step="", next_step_date=soon(),
        )  # fmt: skip
    assert {"reasons", "competencies", "dissent", "next_step"} <= set(error.value.message_dict)
    assert not Decision.objects.filter(application=finalist).exists()
    record_decision(
        actor=manager, application=finalist, decision="hire",
        reasons="Strongest debugging evidence in round two.", competencies=must,
        dissent=[{"person": "Priya Nair", "view": "System design still thin."}],
        next_step="Offer call", next_step_date=soon(), confirm_provisional=True,
    )  # fmt: skip
    finalist.refresh_from_db()
    assert finalist.stage == Stage.OFFER
    with pytest.raises(ValidationError) as error:
        record_decision(
            actor=manager, application=finalist, decision="on_hold", reasons="Budget freeze.",
            competencies=must, dissent=[], next_step="Revisit", next_step_date=soon(40),
        )  # fmt: skip
    assert "change_reason" in error.value.message_dict
    record_decision(
        actor=manager, application=finalist, decision="on_hold", reasons="Budget freeze.",
        competencies=must, dissent=[], next_step="Revisit", next_step_date=soon(40),
        change_reason="Headcount frozen by finance.",
    )  # fmt: skip
    decision = Decision.objects.get(application=finalist)
    assert decision.decision == "on_hold"
    revision = decision.revisions.get()
    assert revision.before["decision"] == "hire"
    assert revision.before["dissent"] == [
        {"person": "Priya Nair", "view": "System design still thin."}
    ]
    finalist.refresh_from_db()
    assert finalist.stage == Stage.DECISION


def test_reminders_and_the_all_in_mail(engineering: Position, mailoutbox: list) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from secondround.hiring.models import Interview
    from secondround.scorecards.tasks import (
        remind_interviewers,
        tell_manager_when_all_scorecards_are_in,
    )

    seat = pending_seat(engineering)
    finalist = engineering.applications.get(candidate__full_name="Aisha Bello")
    Interview.objects.create(
        application=finalist, interviewer=seat.interviewer, title="Deep dive", round=2,
        starts_at=timezone.now() - timedelta(hours=6), duration_minutes=60,
    )  # fmt: skip
    assert remind_interviewers.call() == 1
    assert remind_interviewers.call() == 0  # reminded once only
    assert mailoutbox[-1].to == [seat.interviewer.email]
    assert tell_manager_when_all_scorecards_are_in.call(finalist.pk) is False
    card = open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=finalist)
    submit_scorecard(
        actor=seat.interviewer, scorecard=card,
        data=ScorecardInput(
            ratings={c.pk: {"rating": 3, "notes": "Fine."} for c in seat.competencies.all()},
            resolutions={}, overall={"recommendation": "no", "confidence": 3},
        ),
    )  # fmt: skip
    assert tell_manager_when_all_scorecards_are_in.call(finalist.pk) is True
    assert mailoutbox[-1].to == [engineering.hiring_manager.email]
    assert "4" not in mailoutbox[-1].subject  # no ratings in a notification


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_worker_refreshes_the_debrief_after_a_submission(engineering: Position) -> None:
    from secondround.debrief.models import CalibrationSnapshot

    before = CalibrationSnapshot.objects.latest()
    seat = pending_seat(engineering)
    card = open_round_two_scorecard(
        actor=seat.interviewer, seat=seat, application=jordan(engineering)
    )
    submit_scorecard(
        actor=seat.interviewer,
        scorecard=card,
        data=ScorecardInput(
            ratings={
                c.pk: {"rating": 5, "notes": "Led the incident review."}
                for c in seat.competencies.all()
            },
            resolutions={},
            overall={"recommendation": "strong_yes", "confidence": 5},
        ),
    )
    from secondround.ops import schedule

    # The worker's round notices the new scorecard and queues the refit; then it runs.
    assert schedule.CALIBRATION_REFIT in schedule.enqueue_due_jobs()
    call_command("db_worker", batch=True, verbosity=0)
    after = CalibrationSnapshot.objects.latest()
    assert after.pk != before.pk and after.n_ratings > before.n_ratings


@pytest.mark.parametrize("stale", ["from before JSON", "older schema", "garbled"])
def test_a_snapshot_in_an_old_or_garbled_format_is_refitted_by_the_worker(
    engineering: Position, stale: str
) -> None:
    """After an upgrade the stored fit may be in a format this code does not read: it is
    never unpickled or guessed at; the page shows no numbers from it (and no error), and
    the worker refits."""
    from secondround.debrief import calibration
    from secondround.debrief.models import CalibrationSnapshot
    from secondround.ops import schedule

    old = CalibrationSnapshot.objects.latest()
    fitted = calibration.current()
    assert fitted is not None
    comparison = fitted[1]
    old.result = {
        "from before JSON": None,  # what the migration leaves of a pickled snapshot
        "older schema": {**(old.result or {}), "schema": calibration.SCHEMA_VERSION - 1},
        "garbled": {"schema": calibration.SCHEMA_VERSION, "layout": calibration.LAYOUT,
                    "comparison": {"$object": "Comparison", "fields": {"table": 1}}},
    }[stale]  # fmt: skip
    old.save()
    calibration._load_cached.cache_clear()
    assert calibration.current() is None and calibration.needs_refit()
    page = client_for(engineering.hiring_manager).get(f"/positions/{engineering.pk}/debrief/")
    assert page.status_code == 200 and 'id="refreshing"' in page.content.decode()
    assert CalibrationSnapshot.objects.count() == 1  # reading it fitted nothing
    assert schedule.CALIBRATION_REFIT in schedule.enqueue_due_jobs()
    calibration.refresh_snapshot()  # what the queued task runs
    refitted = calibration.current()
    assert refitted is not None and refitted[0].pk != old.pk
    assert refitted[1].model.n_ratings == comparison.model.n_ratings
    assert not calibration.needs_refit()


def test_hosts_and_repeat_interviews_get_no_extra_reminders(
    engineering: Position, mailoutbox: list
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from secondround.hiring.models import Interview
    from secondround.scorecards.tasks import remind_interviewers

    finalist = engineering.applications.get(candidate__full_name="Aisha Bello")
    host = Seat.objects.filter(session__plan__position=engineering, session__competency_kinds=[])
    host_seat = host.exclude(
        interviewer__in=assessing_seats(engineering).values("interviewer")
    ).first()
    assert host_seat is not None  # welcome, questions and wrap-up are hosted, not rated
    pending = pending_seat(engineering)
    held = timezone.now() - timedelta(hours=6)
    for person, title in [
        (host_seat.interviewer, "Welcome"),
        (pending.interviewer, "Deep dive"),
        (pending.interviewer, "Scenario"),  # a second session with the same candidate
    ]:
        Interview.objects.create(
            application=finalist, interviewer=person, title=title, round=2,
            starts_at=held, duration_minutes=45,
        )  # fmt: skip
    assert remind_interviewers.call() == 1
    reminders = [m.to for m in mailoutbox if m.subject.startswith("Your scorecard for")]
    assert reminders == [[pending.interviewer.email]]
