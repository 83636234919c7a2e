"""Test data builders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from secondround.accounts.models import Department, Role, User
from secondround.hiring import services
from secondround.hiring.models import Application, Position, Stage
from secondround.scorecards.models import Rating, Scorecard, ScorecardStatus

PASSWORD = "correct-horse-battery-staple"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.INTERVIEWER
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password(PASSWORD)


def make_position(
    manager: User, *, template: str = "software-engineer", **team: list[User]
) -> Position:
    return services.create_position_from_template(
        actor=manager,
        template_slug=template,
        recruiters=team.get("recruiters", []),
        interviewers=team.get("interviewers", []),
    )


def make_application(position: Position, *, name: str = "Casey Candidate") -> Application:
    return services.add_candidate_to_position(
        actor=position.hiring_manager,
        position=position,
        fields={"full_name": name, "email": name.lower().replace(" ", ".") + "@mail.example"},
    )


def soon(days: int = 2) -> date:
    """A date a few days ahead: decisions refuse a next step in the past, so no fixed dates."""
    return date.today() + timedelta(days=days)


def make_finalist(position: Position, *, name: str = "Casey Candidate") -> Application:
    """An application moved through the real stage service into round two."""
    application = make_application(position, name=name)
    for stage in (Stage.FIRST_ROUND, Stage.SECOND_ROUND):
        services.move_application(
            actor=position.hiring_manager, application=application, to_stage=stage
        )
    application.refresh_from_db()
    return application


def submit_round_two(
    application: Application,
    interviewer: User,
    ratings: dict[str, dict[str, Any]],
    *,
    takeaways: str = "",
) -> Scorecard:
    """A submitted round-two scorecard: {competency name: Rating fields}. Written directly,
    without a loop, for tests that only need the evidence to exist."""
    card = Scorecard.objects.create(
        application=application, interviewer=interviewer, round=2,
        status=ScorecardStatus.SUBMITTED, submitted_at=timezone.now(), takeaways=takeaways,
        recommendation="strong_yes",
    )  # fmt: skip
    for name, fields in ratings.items():
        competency = application.position.competencies.get(name=name)
        Rating.objects.create(scorecard=card, competency=competency, **fields)
    return card


def record_hire(application: Application, decision: str = "hire") -> None:
    """A decision recorded through the debrief's service (a hire by default), as the team
    would before sending the offer."""
    from secondround.debrief.services import record_decision

    record_decision(
        actor=application.position.hiring_manager, application=application, decision=decision,
        reasons="Strong evidence on the role's competencies.",
        competencies=list(application.position.competencies.all()[:1]), dissent=[],
        next_step="Call with the offer.", next_step_date=soon(), confirm_provisional=True,
        change_reason="The debrief went on.",
    )  # fmt: skip
    application.refresh_from_db()
