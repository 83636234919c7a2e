"""Two people editing one feedback letter: a save based on an old copy is refused with who
and when, the refused text stays on the page, and saving again replaces theirs knowingly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from secondround.accounts.models import User
from secondround.feedback import services
from secondround.feedback.models import FeedbackLetter
from secondround.hiring.models import Position
from secondround.revisions import NEW, revision_of
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.feedback.helpers import Finalist, finalist_with_evidence
from tests.feedback.test_letters import _editor_post, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def finalist(position: Position) -> Finalist:
    return finalist_with_evidence(position)


@pytest.fixture
def colleague(position: Position) -> User:
    """A second hiring manager's hand on the same letter: an admin."""
    return UserFactory(role="admin", full_name="Grace Admin")


def opened(client: object, finalist: Finalist) -> str:
    page = client.get(_url(finalist))  # type: ignore[attr-defined]
    return str(page.context["revision"])


def test_a_save_over_a_change_made_since_opening_is_refused_and_keeps_both_texts(
    finalist: Finalist, manager: User, colleague: User
) -> None:
    mine, theirs = client_for(manager), client_for(colleague)
    my_revision, their_revision = opened(mine, finalist), opened(theirs, finalist)
    assert my_revision == their_revision == NEW
    saved = theirs.post(
        _url(finalist),
        _editor_post(finalist, "save", opening="Their opening.", revision=their_revision),
    )
    assert saved.status_code == 302
    refused = mine.post(
        _url(finalist), _editor_post(finalist, "save", opening="My opening.", revision=my_revision)
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Grace Admin changed this" in page and "My opening." in page  # nothing typed is lost
    assert FeedbackLetter.objects.get().opening == "Their opening."
    # Saving again, from the refused page, replaces theirs knowingly.
    again = refused.context["revision"]
    assert again == revision_of(FeedbackLetter.objects.get().updated_at)
    replaced = mine.post(
        _url(finalist), _editor_post(finalist, "save", opening="My opening.", revision=again)
    )
    assert replaced.status_code == 302
    assert FeedbackLetter.objects.get().opening == "My opening."


def test_another_refusal_keeps_the_revision_opened_so_a_later_clash_is_caught(
    finalist: Finalist, manager: User, colleague: User
) -> None:
    mine = client_for(manager)
    revision = opened(mine, finalist)
    too_long = mine.post(
        _url(finalist), _editor_post(finalist, "save", opening="x" * 20_000, revision=revision)
    )
    assert too_long.status_code == 400 and too_long.context["revision"] == revision
    client_for(colleague).post(_url(finalist), _editor_post(finalist, "save", opening="Theirs."))
    late = mine.post(
        _url(finalist), _editor_post(finalist, "save", opening="Mine.", revision=revision)
    )
    assert late.status_code == 400 and FeedbackLetter.objects.get().opening == "Theirs."


def test_the_same_words_saved_twice_are_no_clash(finalist: Finalist, manager: User) -> None:
    mine = client_for(manager)
    revision = opened(mine, finalist)
    post = _editor_post(finalist, "save", opening="Same.", revision=revision)
    assert mine.post(_url(finalist), post).status_code == 302
    assert mine.post(_url(finalist), post).status_code == 302  # a double click, a stale tab


def test_the_service_refuses_approving_over_a_newer_draft(
    finalist: Finalist, manager: User
) -> None:
    application = finalist.application
    first = services.save_letter_draft(
        actor=manager, application=application, opening="One.", sections=[], closing=""
    )
    stale = revision_of(first.updated_at)
    services.save_letter_draft(
        actor=manager, application=application, opening="Two.", sections=[], closing="",
        based_on=stale,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.save_letter_draft(
            actor=manager, application=application, opening="Three.", sections=[], closing="",
            based_on=stale,
        )  # fmt: skip
    assert "revision" in error.value.message_dict
    assert FeedbackLetter.objects.get().opening == "Two."


def test_a_save_that_changes_nothing_leaves_the_letter_as_it_was(
    finalist: Finalist, manager: User, colleague: User
) -> None:
    """Trial r8, staff #6: opening and saving without a change made the other's edit a clash."""
    mine, theirs = client_for(manager), client_for(colleague)
    saved = _editor_post(finalist, "save", opening="Kept.", revision=opened(mine, finalist))
    assert mine.post(_url(finalist), saved).status_code == 302
    before = FeedbackLetter.objects.get()
    my_revision, their_revision = opened(mine, finalist), opened(theirs, finalist)
    unchanged = {**saved, "revision": their_revision}
    assert theirs.post(_url(finalist), unchanged).status_code == 302
    after = FeedbackLetter.objects.get()
    assert (after.updated_at, after.updated_by) == (before.updated_at, before.updated_by)
    mine_saved = mine.post(
        _url(finalist), _editor_post(finalist, "save", opening="Better.", revision=my_revision)
    )
    assert mine_saved.status_code == 302
    assert FeedbackLetter.objects.get().opening == "Better."


def test_the_refusal_names_the_other_and_the_time_in_the_organisations_zone(
    finalist: Finalist, manager: User, colleague: User
) -> None:
    mine = client_for(manager)
    revision = opened(mine, finalist)
    services.save_letter_draft(
        actor=colleague, application=finalist.application, opening="Theirs.", sections=[],
        closing="",
    )  # fmt: skip
    FeedbackLetter.objects.update(updated_at=datetime(2026, 11, 30, 16, 58, tzinfo=UTC))
    refused = mine.post(
        _url(finalist), _editor_post(finalist, "save", opening="Mine.", revision=revision)
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    # The default organisation zone is Europe/Berlin (scheduling settings), as on booking pages.
    assert "Grace Admin changed this at 30 Nov 2026, 17:58 CET, after you opened it" in page
