import pytest

from secondround import demo
from secondround.accounts.models import Department, User
from secondround.debrief.selectors import debrief
from secondround.hiring.models import Application, CompanyProfile, Position, Stage

pytestmark = pytest.mark.django_db


def test_demo_organisation_is_what_the_readme_promises() -> None:
    demo.load()
    assert User.objects.count() >= 12
    assert Department.objects.filter(members__isnull=False).distinct().count() >= 4
    profile = CompanyProfile.objects.get()
    assert 4 <= profile.values.count() <= 5
    assert all(v.behaviour_list for v in profile.values.all())
    positions = Position.objects.filter(status="open")
    assert positions.count() == 2
    assert Position.objects.filter(status="closed").count() == 1  # last year's, for history
    # Five candidates each; four reached round two, and engineering has a sixth, decided
    # after her round two (rejected, her feedback letter approved: feedback.demo).
    decided = {"Senior software engineer": 1, "Product manager, scheduling": 0}
    for position in positions:
        assert position.applications.count() == 5 + decided[position.title]
        assert position.applications.filter(stage__in=Stage.finalists()).count() == 4
        assert position.applications.filter(stage=Stage.REJECTED).count() == decided[position.title]
        assert position.competencies.count() >= 7
    # Every finalist's loop is booked (real Interview rows) except one product finalist, left
    # for the candidate options of the bookings app; the decided finalist's loop took place.
    assert Application.objects.filter(interviews__isnull=False).distinct().count() == 8
    for email, _role, password in demo.demo_logins():
        assert User.objects.get(email=email).check_password(password)


def test_demo_debrief_shows_a_finalist_whose_raw_average_misleads() -> None:
    demo.load()
    position = Position.objects.get(title="Senior software engineer")
    data = debrief(position.hiring_manager, position)
    assert data is not None
    by_raw = sorted(data.rows, key=lambda r: -(r.result.raw_mean or 0))
    by_score = sorted(data.rows, key=lambda r: -r.result.score)
    assert [r.application.pk for r in by_raw] != [r.application.pk for r in by_score]


@pytest.mark.django_db
def test_grace_is_the_interviewer_with_scorecards_still_to_write() -> None:
    """The README sends people to Grace's account to see a scorecard still to write."""
    from secondround import demo as demo_module
    from secondround.loops.models import Seat
    from secondround.scorecards.models import Scorecard, ScorecardStatus

    demo_module.load()
    grace_seats = Seat.objects.filter(interviewer__email="grace@kestrel.example").exclude(
        session__competency_kinds=[]
    )
    assert grace_seats.exists()
    assert not Scorecard.objects.filter(
        interviewer__email="grace@kestrel.example",
        round=Scorecard.Round.TWO,
        status=ScorecardStatus.SUBMITTED,
    ).exists()
