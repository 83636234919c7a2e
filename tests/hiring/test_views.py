"""The hiring pages live in the hiring app, at the paths and names they always had."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from secondround.hiring.models import Position
from tests.conftest import client_for

PAGES = {
    "company": ((), "/company/"),
    "positions": ((), "/positions/"),
    "position-create": ((), "/positions/new/"),
    "position-edit": ((1,), "/positions/1/edit/"),
    "competency-new": ((1,), "/positions/1/competencies/new/"),
    "competency-edit": ((1, 2), "/positions/1/competencies/2/"),
    "competency-delete": ((1, 2), "/positions/1/competencies/2/delete/"),
    "candidate-add": ((1,), "/positions/1/candidates/new/"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_each_hiring_page_keeps_its_path_and_is_served_by_hiring_views(name: str) -> None:
    args, path = PAGES[name]
    assert reverse(name, args=args) == path
    assert resolve(path).func.__module__ == "secondround.hiring.views"


def test_the_pages_open_for_the_hiring_team(position: Position) -> None:
    team = client_for(position.hiring_manager)
    competency = position.competencies.first()
    assert competency is not None
    for name, args in [
        ("company", ()),
        ("positions", ()),
        ("position-create", ()),
        ("position-edit", (position.pk,)),
        ("competency-new", (position.pk,)),
        ("competency-edit", (position.pk, competency.pk)),
        ("candidate-add", (position.pk,)),
    ]:
        assert team.get(reverse(name, args=args)).status_code == 200, name
    assert Client().get(reverse("positions")).status_code == 302  # to the sign-in page
