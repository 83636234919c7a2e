"""Test data builders."""

from __future__ import annotations

from datetime import date, timedelta

import factory

from secondround.accounts.models import Department, Role, User
from secondround.hiring import services
from secondround.hiring.models import Application, Position

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
