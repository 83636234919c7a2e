"""Two people editing one position: a save based on an old copy is refused with who and
when, the refused text stays on the page, and saving again replaces theirs knowingly."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.scheduling.models import SchedulingPolicy
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague() -> User:
    return UserFactory(role="admin", full_name="Grace Admin")


def test_two_people_editing_a_position_neither_loses_a_change(
    position: Position, manager: User, colleague: User
) -> None:
    url = reverse("position-edit", args=[position.pk])
    mine, theirs = client_for(manager), client_for(colleague)
    my_revision = mine.get(url).context["revision"]
    their_revision = theirs.get(url).context["revision"]

    def form(title: str, revision: str) -> dict[str, object]:
        return edit_form(position, revision, title=title)

    assert theirs.post(url, form("Staff engineer", their_revision)).status_code == 302
    refused = mine.post(url, form("Principal engineer", my_revision))
    assert refused.status_code == 400 and "Grace Admin changed this" in refused.content.decode()
    assert "Principal engineer" in refused.content.decode()
    position.refresh_from_db()
    assert position.title == "Staff engineer"
    again = mine.post(url, form("Principal engineer", refused.context["revision"]))
    assert again.status_code == 302
    position.refresh_from_db()
    assert position.title == "Principal engineer" and position.edited_by == manager
    # The same form posted twice (a stale tab after its own save) is no clash.
    assert mine.post(url, form("Principal engineer", my_revision)).status_code == 302


def test_the_api_reads_a_revision_and_refuses_a_change_over_a_newer_one_with_409(
    position: Position, manager: User, colleague: User
) -> None:
    path = f"/positions/{position.pk}"
    mine, theirs = Api(manager), Api(colleague)
    read = mine.get(path).json()["revision"]
    assert theirs.patch(path, {"title": "Staff engineer"}).status_code == 200  # no revision
    refused = mine.patch(path, {"title": "Principal engineer", "revision": read})
    assert refused.status_code == 409
    assert refused.json()["detail"][0]["loc"] == ["body", "revision"]
    position.refresh_from_db()
    assert position.title == "Staff engineer"
    fresh = mine.get(path).json()["revision"]
    assert mine.patch(path, {"title": "Principal engineer", "revision": fresh}).status_code == 200
    too_long = mine.patch(path, {"title": "X", "revision": "r" * 65})
    assert too_long.status_code == 422 and "revision" in str(too_long.json()["detail"])


# --- trial r8, staff #6 ---------------------------------------------------------------------


def edit_form(position: Position, revision: str, **changes: object) -> dict[str, object]:
    """The edit page's form as it was opened, with some fields changed."""
    return {
        "title": position.title, "department": position.department_id,
        "status": position.status, "summary": position.summary,
        "responsibilities": position.responsibilities, "expectations": position.expectations,
        "recruiters": [p.pk for p in position.recruiters.all()],
        "interviewers": [p.pk for p in position.interviewers.all()],
        "revision": revision, **changes,
    }  # fmt: skip


def test_a_save_that_changes_nothing_is_no_change_so_the_others_edit_is_kept(
    position: Position, manager: User, colleague: User
) -> None:
    url = reverse("position-edit", args=[position.pk])
    mine, theirs = client_for(manager), client_for(colleague)
    my_revision = mine.get(url).context["revision"]
    their_revision = theirs.get(url).context["revision"]
    assert theirs.post(url, edit_form(position, their_revision)).status_code == 302
    Api(colleague).patch(f"/positions/{position.pk}", {"title": position.title})
    position.refresh_from_db()
    assert position.edited_at is None  # nothing changed, so nothing was recorded as a change
    saved = mine.post(url, edit_form(position, my_revision, title="Staff engineer"))
    assert saved.status_code == 302
    position.refresh_from_db()
    assert position.title == "Staff engineer" and position.edited_by == manager


def test_the_refusal_says_when_in_the_organisations_zone_and_you_for_your_other_tab(
    position: Position, manager: User
) -> None:
    SchedulingPolicy.objects.create(time_zone="America/New_York")
    url = reverse("position-edit", args=[position.pk])
    tab_a, tab_b = client_for(manager), client_for(manager)
    opened_a = tab_a.get(url).context["revision"]
    assert tab_b.post(url, edit_form(position, opened_a, title="Staff engineer")).status_code == 302
    saved_at = datetime(2026, 11, 30, 16, 58, tzinfo=UTC)
    Position.objects.filter(pk=position.pk).update(edited_at=saved_at)
    refused = tab_a.post(url, edit_form(position, opened_a, title="Principal engineer"))
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "You changed this in another tab at 30 Nov 2026, 11:58 EST" in page
    assert "everything on this page" in page  # saving again replaces the team too, not only text
    # The heading names the position as stored, not the refused title in the form below.
    heading = re.search(r"<h1>(.*?)</h1>", page)
    assert heading is not None and heading.group(1) == "Edit Staff engineer"
    assert 'value="Principal engineer"' in page
