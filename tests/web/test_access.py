"""Who may see and change what, on every page and endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from tests.conftest import client_for
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def position_pages(position: Position) -> list[str]:
    application = make_application(position)
    competency = position.competencies.first()
    assert competency is not None
    return [
        reverse("position", args=[position.pk]),
        reverse("position-edit", args=[position.pk]),
        reverse("competency-new", args=[position.pk]),
        reverse("competency-edit", args=[position.pk, competency.pk]),
        reverse("candidate-add", args=[position.pk]),
        reverse("application", args=[application.pk]),
    ]


def test_outsider_gets_404_on_every_page_of_a_position(position: Position, outsider: User) -> None:
    client = client_for(outsider)
    for url in position_pages(position):
        assert client.get(url).status_code == 404, url


def test_outsider_cannot_post_to_a_position(position: Position, outsider: User) -> None:
    client = client_for(outsider)
    competency = position.competencies.first()
    assert competency is not None
    response = client.post(reverse("competency-delete", args=[position.pk, competency.pk]))
    assert response.status_code == 404
    assert position.competencies.filter(pk=competency.pk).exists()


def test_outsider_sees_no_positions_or_candidates_in_lists(
    position: Position, outsider: User
) -> None:
    make_application(position, name="Hidden Person")
    client = client_for(outsider)
    assert position.title not in client.get(reverse("positions")).content.decode()
    assert "Hidden Person" not in client.get(reverse("candidates")).content.decode()


def test_panel_interviewer_reads_but_cannot_change(
    position: Position, panel_interviewer: User
) -> None:
    pages = position_pages(position)
    client = client_for(panel_interviewer)
    assert client.get(pages[0]).status_code == 200
    assert client.get(pages[5]).status_code == 200
    for url in pages[1:5]:
        assert client.get(url).status_code == 403, url


def test_logged_out_visitor_is_sent_to_login(position: Position) -> None:
    from django.test import Client

    response = Client().get(reverse("position", args=[position.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_sees_every_position(position: Position, admin_user: User) -> None:
    assert client_for(admin_user).get(reverse("position", args=[position.pk])).status_code == 200


def test_only_admins_and_hiring_managers_edit_the_company(
    admin_user: User, manager: User, recruiter: User, outsider: User
) -> None:
    assert client_for(admin_user).get(reverse("company")).status_code == 200
    assert client_for(manager).get(reverse("company")).status_code == 200
    assert client_for(recruiter).get(reverse("company")).status_code == 403
    assert client_for(outsider).get(reverse("company")).status_code == 403


def test_interviewer_cannot_create_positions_on_the_web(outsider: User) -> None:
    client = client_for(outsider)
    assert client.get(reverse("position-create")).status_code == 403
