"""Round two planned from round one: the loop, its coverage checks, clarification items, kits."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.loops import items, services
from secondround.loops.models import ClarificationItem, ItemStatus, LoopPlan, Seat, SessionKind
from secondround.scorecards.models import Scorecard
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def test_demo_plan_has_every_session_and_meets_every_rule(engineering: Position) -> None:
    plan = LoopPlan.objects.get(position=engineering)
    assert [s.kind for s in plan.sessions.all()] == list(SessionKind.values)
    # Every rule is met; the only notes left are preferences (fresh eyes: every engineer
    # qualified for system design rated it in round one).
    assert {c["severity"] for c in plan.checks} <= {"warning"}, plan.checks
    seats = Seat.objects.filter(session__plan=plan).prefetch_related("competencies")
    assert all(seat.competencies.count() <= 3 for seat in seats)
    for competency in engineering.competencies.filter(must_have=True):
        raters = [s for s in seats if competency in s.competencies.all()]
        assert len({s.interviewer_id for s in raters}) >= 2, competency
        assert len({s.interviewer.department_id for s in raters}) >= 2, competency
    for session in plan.sessions.filter(kind__in=[SessionKind.DEEP_DIVE, SessionKind.VALUES]):
        assert session.questions.count() >= 1
    assert plan.sessions.get(kind=SessionKind.SCENARIO).scenario is not None


def test_gaps_become_items_with_evidence_questions_and_an_owning_session(
    engineering: Position,
) -> None:
    jordan = engineering.applications.get(candidate__full_name="Jordan Ellis")
    items = {i.competency.name: i for i in jordan.clarification_items.select_related("competency")}
    split = items["Debugging unclear problems"]
    assert split.reasons == ["split"]
    assert {e["rating"] for e in split.evidence} == {2, 5}
    assert split.session is not None and split.question_list
    concern = items["Acts on company values"]
    assert "concern" in concern.reasons
    assert "avoid noise" in concern.evidence[0]["notes"]
    assert items["Technical leadership"].reasons == ["not_assessed"]


def test_hiring_manager_edits_survive_a_refresh(engineering: Position) -> None:
    item = ClarificationItem.objects.filter(application__position=engineering).first()
    assert item is not None
    items.update_item(
        actor=engineering.hiring_manager, item=item, summary="Mine now", questions="Ask X",
        session=item.session, status=ItemStatus.DISMISSED,
    )  # fmt: skip
    items.refresh_clarification_items(position=engineering)
    item.refresh_from_db()
    assert (item.summary, item.status) == ("Mine now", ItemStatus.DISMISSED)


def test_swapping_an_interviewer_reruns_the_checks(engineering: Position) -> None:
    plan = LoopPlan.objects.get(position=engineering)
    seat = seat_without_scorecards(
        Seat.objects.filter(session__plan=plan).exclude(session__kind=SessionKind.MANAGER)
    )
    # The hiring manager already has their own conversation: one session each is the rule.
    services.swap_seat_interviewer(
        actor=engineering.hiring_manager, seat=seat, interviewer=engineering.hiring_manager
    )
    plan.refresh_from_db()
    assert "one_session" in {check["rule"] for check in plan.checks}, plan.checks
    assert any(engineering.hiring_manager.full_name in c["message"] or "Hana" in c["message"]
               for c in plan.checks if c["rule"] == "one_session")  # fmt: skip


def seat_without_scorecards(seats: QuerySet[Seat]) -> Seat:
    """A seat that may be swapped: its interviewer has written no scorecard in it (Grace's, in
    the demo); a seat with scorecards stays its interviewer's."""
    return next(
        seat
        for seat in seats.order_by("pk")
        if not Scorecard.objects.filter(session=seat.session, interviewer=seat.interviewer).exists()
    )


def propose_again(position: Position, budget: int) -> LoopPlan:
    """Propose an accepted loop again, confirming the changes as the page would."""
    token = services.loop_fingerprint(position=position, time_budget_minutes=budget)
    return services.propose_loop(
        actor=position.hiring_manager, position=position, time_budget_minutes=budget,
        confirmed=token,
    )  # fmt: skip


def test_proposing_with_too_small_a_budget_says_so(engineering: Position) -> None:
    plan = propose_again(engineering, 120)
    (check,) = [check for check in plan.checks if check["rule"] == "time_budget"]
    assert "cannot fit in 120 minutes" in check["message"], check


def test_interviewer_sees_only_their_own_kit(engineering: Position) -> None:
    plan = LoopPlan.objects.get(position=engineering)
    seats = list(Seat.objects.filter(session__plan=plan, session__kind=SessionKind.DEEP_DIVE))
    finalist = services.finalists(engineering)[0]
    mine, theirs = seats[0], seats[1]
    client = client_for(mine.interviewer)
    page = client.get(reverse("kit", args=[mine.pk, finalist.pk]))
    assert page.status_code == 200
    assert finalist.candidate.full_name in page.content.decode()
    assert client.get(reverse("kit", args=[theirs.pk, finalist.pk])).status_code == 404
    outsider = User.objects.get(email="ben@kestrel.example")  # not on this panel
    assert client_for(outsider).get(reverse("kit", args=[mine.pk, finalist.pk])).status_code == 404
    assert client_for(outsider).get(reverse("round-two", args=[engineering.pk])).status_code == 404
    assert client.get(reverse("round-two", args=[engineering.pk])).status_code == 403


def test_kit_pdf_renders_and_its_first_page_is_saved_as_png(engineering: Position) -> None:
    import pypdfium2

    plan = LoopPlan.objects.get(position=engineering)
    seat = Seat.objects.get(session__plan=plan, session__kind=SessionKind.MANAGER)
    jordan = engineering.applications.get(candidate__full_name="Jordan Ellis")
    response = client_for(seat.interviewer).get(reverse("kit-pdf", args=[seat.pk, jordan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(BytesIO(response.content))
    text = pdf[0].get_textpage().get_text_range()
    assert "Jordan Ellis" in text
    assert "Technical leadership" in text
    ARTIFACTS.mkdir(exist_ok=True)
    pdf[0].render(scale=1.4).to_pil().save(ARTIFACTS / "kit-page-1.png")


def test_round_two_page_shows_the_gap_matrix_and_the_coverage(engineering: Position) -> None:
    body = (
        client_for(engineering.hiring_manager)
        .get(reverse("round-two", args=[engineering.pk]))
        .content.decode()
    )
    assert 'id="gap-matrix"' in body and 'id="coverage-matrix"' in body
    assert "Jordan Ellis" in body and "gap-high" in body
    assert 'id="checks-ok"' in body


def test_a_panel_member_without_a_department_does_not_break_the_planner(
    engineering: Position,
) -> None:
    newcomer = User.objects.create_user("new@kestrel.example", "x", full_name="New Person")
    engineering.interviewers.add(newcomer)
    plan = propose_again(engineering, 330)
    assert plan.sessions.count() == 8
    seat = seat_without_scorecards(
        Seat.objects.filter(session__plan=plan).exclude(session__competency_kinds=[])
    )
    services.swap_seat_interviewer(
        actor=engineering.hiring_manager, seat=seat, interviewer=newcomer
    )  # the recheck sees the newcomer too
