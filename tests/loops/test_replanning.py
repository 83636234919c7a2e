"""Proposing a loop again, qualified raters and the planner's smaller promises (issue #10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from secondround.accounts.models import Role, User
from secondround.hiring import services as hiring
from secondround.hiring.models import Position, RaterQualification
from secondround.hiring.qualifications import qualified_competencies, set_qualifications
from secondround.loops import services
from secondround.loops.models import LoopPlan, PlanStatus, Seat, SessionKind
from secondround.scorecards.models import Scorecard, ScorecardStatus
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import DepartmentFactory, UserFactory, make_application, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering() -> Position:
    """The demo's accepted engineering loop, with round-two scorecards submitted."""
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def seats_with_scorecards(position: Position) -> dict[int, tuple[int, int, set[int]]]:
    """Seat id -> (session id, interviewer id, focus competency ids), for seats with scorecards."""
    written = {
        (s.session_id, s.interviewer_id)
        for s in Scorecard.objects.filter(round=Scorecard.Round.TWO, application__position=position)
    }
    return {
        seat.pk: (seat.session_id, seat.interviewer_id, {c.pk for c in seat.competencies.all()})
        for seat in Seat.objects.filter(session__plan__position=position)
        if (seat.session_id, seat.interviewer_id) in written
    }


def test_proposing_an_accepted_loop_again_keeps_every_seat_with_a_scorecard(
    engineering: Position,
) -> None:
    before = seats_with_scorecards(engineering)
    cards = {c.pk: c.session_id for c in Scorecard.objects.filter(round=Scorecard.Round.TWO)}
    assert len(cards) >= 20 and len(before) >= 5  # the demo has a real second round

    token = services.loop_fingerprint(position=engineering, time_budget_minutes=200)
    plan = services.propose_loop(
        actor=engineering.hiring_manager, position=engineering, time_budget_minutes=200,
        confirmed=token,
    )  # fmt: skip

    assert seats_with_scorecards(engineering) == before  # same seats, sessions, people, focus
    assert {
        c.pk: c.session_id for c in Scorecard.objects.filter(round=Scorecard.Round.TWO)
    } == cards
    assert not Scorecard.objects.filter(round=Scorecard.Round.TWO, session__isnull=True).exists()
    for _session, interviewer, _focus in before.values():  # nobody gets a second seat
        assert Seat.objects.filter(session__plan=plan, interviewer_id=interviewer).count() == 1
    assert plan.status == PlanStatus.ACCEPTED
    # Every assessing session was held, so they keep their length, and the page says why.
    (budget,) = [c["message"] for c in plan.checks if c["rule"] == "time_budget"]
    assert "cannot fit in 200 minutes" in budget and "already held keep their length" in budget


def test_an_accepted_loop_is_not_proposed_again_without_a_confirmation(
    engineering: Position,
) -> None:
    seats = sorted(Seat.objects.filter(session__plan__position=engineering).values_list("pk"))
    with pytest.raises(ValidationError) as refused:
        services.propose_loop(
            actor=engineering.hiring_manager, position=engineering, time_budget_minutes=200
        )
    assert "confirmed" in refused.value.message_dict
    assert sorted(Seat.objects.filter(session__plan__position=engineering).values_list("pk")) == (
        seats
    )
    plan = LoopPlan.objects.get(position=engineering)
    assert (plan.status, plan.time_budget_minutes) == (PlanStatus.ACCEPTED, 330)


def test_the_api_re_plans_an_accepted_loop_only_with_the_token_of_its_changes(
    engineering: Position,
) -> None:
    api = Api(engineering.hiring_manager)
    path = f"/positions/{engineering.pk}/loop"
    refused = api.post(path, {"time_budget_minutes": 330})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "confirmed"]
    changes = api.get(f"{path}/changes?time_budget_minutes=330").json()
    assert changes["accepted"] and len(changes["kept"]) == len(seats_with_scorecards(engineering))
    before = seats_with_scorecards(engineering)
    done = api.post(path, {"time_budget_minutes": 330, "confirmed": changes["token"]})
    assert done.status_code == 201 and done.json()["status"] == "accepted"
    assert seats_with_scorecards(engineering) == before
    assert (
        Api(User.objects.get(email="noah@kestrel.example"))
        .get(f"{path}/changes?time_budget_minutes=330")
        .status_code
        == 403
    )


def test_a_confirmation_for_an_older_state_of_the_loop_is_refused(engineering: Position) -> None:
    token = services.loop_fingerprint(position=engineering, time_budget_minutes=330)
    free_seat = next(
        seat
        for seat in Seat.objects.filter(session__plan__position=engineering).exclude(
            session__competency_kinds=[]
        )
        if not Scorecard.objects.filter(session=seat.session, interviewer=seat.interviewer)
    )
    services.set_seat_competencies(
        actor=engineering.hiring_manager, seat=free_seat, competencies=[]
    )
    with pytest.raises(ValidationError) as refused:
        services.propose_loop(
            actor=engineering.hiring_manager, position=engineering, time_budget_minutes=330,
            confirmed=token,
        )  # fmt: skip
    assert "changed since" in refused.value.message_dict["confirmed"][0]


def test_the_preview_says_what_would_change_and_what_stays(engineering: Position) -> None:
    draft = services.preview_loop(
        actor=engineering.hiring_manager, position=engineering, time_budget_minutes=200
    )
    assert not draft.changes  # the only free seat is already where it would go
    kept = {(k.interviewer, k.session) for k in draft.kept}
    assert len(kept) == len(seats_with_scorecards(engineering))
    assert all(k.written.submitted >= 1 for k in draft.kept)
    # Every assessing session was held; cutting the rest cannot reach 200 minutes, so
    # nothing is cut, and the draft says why.
    assert draft.durations == ()
    assert "at least 275 minutes" in draft.budget_problem
    # Nothing was written by looking.
    assert LoopPlan.objects.get(position=engineering).time_budget_minutes == 330


def test_swapping_out_or_refocusing_an_interviewer_who_wrote_scorecards_is_refused(
    engineering: Position,
) -> None:
    card = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    ).first()
    assert card is not None
    seat = Seat.objects.get(session=card.session, interviewer=card.interviewer)
    other = User.objects.get(email="noah@kestrel.example")
    with pytest.raises(ValidationError) as refused:
        services.swap_seat_interviewer(
            actor=engineering.hiring_manager, seat=seat, interviewer=other
        )
    assert "orphan" in refused.value.message_dict["interviewer"][0]
    seat.refresh_from_db()
    assert seat.interviewer_id == card.interviewer_id
    focus = set(seat.competencies.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.set_seat_competencies(actor=engineering.hiring_manager, seat=seat, competencies=[])
    assert "focus stays as it is" in refused.value.message_dict["competencies"][0]
    assert set(seat.competencies.values_list("pk", flat=True)) == focus


def test_the_demo_seats_only_qualified_raters(engineering: Position) -> None:
    plan = LoopPlan.objects.get(position=engineering)
    seats = list(Seat.objects.filter(session__plan=plan).select_related("interviewer", "session"))
    allowed = qualified_competencies(engineering, [s.interviewer for s in seats])
    for seat in seats:
        for competency in seat.competencies.all():
            assert competency.pk in allowed[seat.interviewer_id], (seat, competency)
    design = [s.interviewer.email for s in seats if s.competencies.filter(name="System design")]
    assert "ines@kestrel.example" not in design and "noah@kestrel.example" not in design
    assert len(design) >= 2


# --- without the demo: small positions built for one rule ---------------------------------


@pytest.fixture
def manager() -> User:
    return UserFactory(role=Role.HIRING_MANAGER, department=DepartmentFactory(name="Data"))


def analyst_position(manager: User, panel: list[User]) -> Position:
    position = make_position(manager, template="data-analyst", interviewers=panel)
    for name in ("Ada Finalist", "Bo Finalist"):
        application = make_application(position, name=name)
        hiring.move_application(actor=manager, application=application, to_stage="first_round")
        hiring.move_application(actor=manager, application=application, to_stage="second_round")
    return position


def test_sql_goes_only_to_qualified_raters_and_the_shortfall_is_reported(manager: User) -> None:
    sales = UserFactory(full_name="Sam Sales", department=DepartmentFactory(name="Sales"))
    success = UserFactory(
        full_name="Cat Success", department=DepartmentFactory(name="Customer Success")
    )
    analyst = UserFactory(full_name="Ana Analyst", department=DepartmentFactory(name="Data"))
    position = analyst_position(manager, [sales, success, analyst])
    sql = position.competencies.get(name="SQL and data handling")
    set_qualifications(actor=manager, person=analyst, kinds=[], competencies=[sql])

    plan = services.propose_loop(actor=manager, position=position, time_budget_minutes=330)

    raters = Seat.objects.filter(session__plan=plan, competencies=sql)
    assert [s.interviewer for s in raters] == [analyst]
    (short,) = [
        c["message"]
        for c in plan.checks
        if c["rule"] == "must_have_raters" and c["subject"] == sql.name
    ]
    assert short.startswith("“SQL and data handling” has only one rater (Ana Analyst)"), short
    assert "Only Ana Analyst (Data) is qualified to rate “SQL and data handling”" in short
    text = " ".join(c["message"] for c in plan.checks)
    assert "@" not in text and "problem_solving" not in text and "session_kinds" not in text
    assert all(c["label"] and c["label"] != c["rule"] for c in plan.checks)


def test_an_empty_panel_is_reported_as_empty(manager: User) -> None:
    position = analyst_position(manager, [])
    plan = services.propose_loop(actor=manager, position=position, time_budget_minutes=330)
    text = " ".join(c["message"] for c in plan.checks)
    assert "already sits in another session" not in text
    # Only the hiring manager can sit, in their own conversation: the page says so.
    assert "the panel has only one available interviewer for eight seats" in text, text


def test_a_fresh_proposal_fits_the_budget_or_says_why(manager: User) -> None:
    position = analyst_position(manager, [UserFactory(), UserFactory()])
    plan = services.propose_loop(actor=manager, position=position, time_budget_minutes=300)
    assert plan.total_minutes <= 300  # its usual sessions take 340 minutes
    assert not [c for c in plan.checks if c["rule"] == "time_budget"]
    plan = services.propose_loop(actor=manager, position=position, time_budget_minutes=100)
    (check,) = [c for c in plan.checks if c["rule"] == "time_budget"]
    assert "cannot fit in 100 minutes" in check["message"]
    assert "at least 235 minutes" in check["message"]  # the scenario alone needs 95
    assert plan.total_minutes == 340  # nothing cut that could not reach the budget anyway


def test_a_fourth_focus_competency_is_refused(manager: User) -> None:
    people = [UserFactory(), UserFactory()]
    for person in people:
        set_qualifications(actor=manager, person=person, kinds=["technical", "problem_solving"],
                           competencies=[])  # fmt: skip
    position = analyst_position(manager, people)
    plan = services.propose_loop(actor=manager, position=position, time_budget_minutes=330)
    seat = Seat.objects.filter(session__plan=plan, session__kind=SessionKind.DEEP_DIVE).first()
    assert seat is not None
    before = set(seat.competencies.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.set_seat_competencies(
            actor=manager, seat=seat, competencies=list(position.competencies.all()[:4])
        )
    assert "at most three" in refused.value.message_dict["competencies"][0]
    assert set(seat.competencies.values_list("pk", flat=True)) == before
    # and through the page: the error shows next to the field, nothing saved
    page = client_for(manager).post(
        reverse("seat-competencies", args=[position.pk, seat.pk]),
        {"competencies": [c.pk for c in position.competencies.all()[:4]]},
    )
    assert page.status_code == 400 and "at most three" in page.content.decode()
    assert set(seat.competencies.values_list("pk", flat=True)) == before
    unknown = client_for(manager).post(
        reverse("seat-competencies", args=[position.pk, seat.pk]), {"competencies": ["abc"]}
    )
    assert unknown.status_code == 400 and "not a valid value" in unknown.content.decode()
    assert set(seat.competencies.values_list("pk", flat=True)) == before


# --- qualifications: who may edit, what is refused -------------------------------------------


def test_qualifications_are_edited_by_admins_and_hiring_managers_only(manager: User) -> None:
    person = UserFactory()
    position = make_position(manager, template="data-analyst", interviewers=[person])
    sql = position.competencies.get(name="SQL and data handling")
    with pytest.raises(PermissionDenied):
        set_qualifications(actor=UserFactory(), person=person, kinds=["technical"], competencies=[])
    seeker = UserFactory(role=Role.JOB_SEEKER)
    with pytest.raises(ValidationError) as refused:
        set_qualifications(actor=manager, person=seeker, kinds=["technical"], competencies=[])
    assert "person" in refused.value.message_dict
    other = make_position(UserFactory(role=Role.HIRING_MANAGER), template="data-analyst")
    with pytest.raises(ValidationError) as refused:
        set_qualifications(
            actor=manager, person=person, kinds=[],
            competencies=[other.competencies.get(name="SQL and data handling")],
        )  # fmt: skip
    assert "competencies" in refused.value.message_dict
    assert not RaterQualification.objects.filter(person=person).exists()

    set_qualifications(actor=manager, person=person, kinds=["problem_solving"], competencies=[sql])
    allowed = qualified_competencies(position, [person])[person.pk]
    names = set(position.competencies.filter(pk__in=allowed).values_list("name", flat=True))
    assert names == {
        "SQL and data handling", "Framing the question", "Partnering with stakeholders",
        "Integrity with numbers",
    }  # fmt: skip


def test_qualification_pages_for_the_team_and_refused_to_others(manager: User) -> None:
    person = UserFactory(full_name="Quinn Quant")
    position = make_position(manager, template="data-analyst", interviewers=[person])
    sql = position.competencies.get(name="SQL and data handling")
    client = client_for(manager)
    listing = client.get(reverse("qualifications"), {"position": position.pk})
    assert listing.status_code == 200 and 'id="qualified-matrix"' in listing.content.decode()
    assert client.get(reverse("qualifications"), {"position": "9" * 30}).status_code == 404
    saved = client.post(
        reverse("qualifications-edit", args=[person.pk]),
        {"kinds": ["stress"], "competencies": [sql.pk], "position": str(position.pk)},
    )
    assert saved.status_code == 302
    assert RaterQualification.objects.filter(person=person, competency=sql).exists()
    assert RaterQualification.objects.filter(person=person, kind="stress").exists()
    bad = client.post(reverse("qualifications-edit", args=[person.pk]), {"kinds": ["juggling"]})
    assert bad.status_code == 400 and "juggling" in bad.content.decode()
    outsider = client_for(UserFactory())
    assert outsider.get(reverse("qualifications")).status_code == 403
    assert outsider.post(reverse("qualifications-edit", args=[person.pk]), {}).status_code == 403


def test_gap_reasons_open_on_click_tap_or_keyboard_not_only_on_hover(
    engineering: Position,
) -> None:
    body = (
        client_for(engineering.hiring_manager)
        .get(reverse("round-two", args=[engineering.pk]))
        .content.decode()
    )
    assert '<details class="gap-reason">' in body
    assert 'title="' not in body.split('id="gap-matrix"')[1].split("</table>")[0]
