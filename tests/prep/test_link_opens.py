"""A private link's "opened" count counts people, not link previews.

Fetching the link (as a chat app's preview, a mail scanner or a prefetch does: no cookies, no
JavaScript) changes no counter; the candidate's page, once loaded in a browser, POSTs that it
was opened, counted at most once per browser session and link within the visit window.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from secondround.accounts.models import User
from secondround.hiring.models import Application, Stage
from secondround.prep import services, views
from secondround.prep.access import LinkRefused
from secondround.prep.models import InviteLink
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def jordan() -> Application:
    load_demo()
    return Application.objects.get(
        candidate__full_name="Jordan Ellis", position__title="Senior software engineer"
    )


@pytest.fixture
def link_and_token(jordan: Application) -> tuple[InviteLink, str]:
    rita = User.objects.get(email="rita@kestrel.example")
    return services.create_invite_link(actor=rita, application=jordan)


def opened_url(token: str) -> str:
    return reverse("prep-invitation-opened", args=[token])


def opens(link: InviteLink) -> tuple[int, object]:
    link.refresh_from_db()
    return link.times_opened, link.last_opened_at


def test_fetching_the_link_like_a_preview_bot_counts_nothing(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    for _fetch in range(3):  # no cookies kept, no JavaScript run: a new "browser" each time
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(reverse("prep-invitation", args=[token]))
        assert response.status_code == 302
        link_writes = [
            q["sql"] for q in queries if "UPDATE" in q["sql"] and "invitelink" in q["sql"]
        ]
        assert link_writes == []
    kit_button = Client().get(reverse("prep-invitation", args=[token]) + "?to=kit")
    assert kit_button.status_code == 302
    portal = Client().get(reverse("portal", args=[token]))
    assert portal.status_code == 200
    assert opens(link) == (0, None)


def test_the_portal_asks_the_browser_to_report_the_open(
    link_and_token: tuple[InviteLink, str],
) -> None:
    _link, token = link_and_token
    html = Client().get(reverse("portal", args=[token])).content.decode()
    assert f'hx-post="{opened_url(token)}"' in html
    assert 'hx-trigger="load"' in html


def test_the_pages_post_counts_one_open_and_a_reload_in_the_same_session_does_not(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("prep-invitation", args=[token]), follow=True)  # lands on the portal
    csrf = {"X-CSRFToken": browser.cookies["csrftoken"].value}
    response = browser.post(opened_url(token), headers=csrf)
    assert response.status_code == 204
    times, last = opens(link)
    assert times == 1 and last is not None
    for _reload in range(4):  # reloads, and coming back from the kit, within the window
        assert browser.post(opened_url(token), headers=csrf).status_code == 204
    assert opens(link) == (1, last)
    # Another browser (another person, or the candidate on their phone) is another open.
    other = Client()
    other.get(reverse("portal", args=[token]))
    assert other.post(opened_url(token)).status_code == 204
    assert opens(link)[0] == 2


def test_the_same_browser_counts_again_after_the_window(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    browser = Client()
    browser.post(opened_url(token))
    session = browser.session
    counted = session[views.OPENS_KEY][str(link.pk)]
    earlier = timezone.now() - services.OPEN_VISIT_WINDOW - timedelta(minutes=1)
    session[views.OPENS_KEY] = {str(link.pk): earlier.isoformat()}
    session.save()
    assert browser.post(opened_url(token)).status_code == 204
    assert opens(link)[0] == 2
    assert browser.session[views.OPENS_KEY][str(link.pk)] != counted


def test_garbage_in_the_session_is_treated_as_never_counted(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    browser = Client()
    session = browser.session
    session[views.OPENS_KEY] = {str(link.pk): "not a time"}
    session.save()
    assert browser.post(opened_url(token)).status_code == 204
    assert opens(link)[0] == 1


def test_a_post_without_the_csrf_token_is_refused_and_counts_nothing(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("portal", args=[token]))
    assert browser.post(opened_url(token)).status_code == 403
    assert opens(link) == (0, None)


def test_get_on_the_endpoint_is_405_and_counts_nothing(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    for method in ("get", "head", "put"):
        assert getattr(Client(), method)(opened_url(token)).status_code == 405
    assert opens(link) == (0, None)


def test_unknown_revoked_expired_and_garbage_tokens_are_refused_and_count_nothing(
    jordan: Application, link_and_token: tuple[InviteLink, str]
) -> None:
    link, token = link_and_token
    before = {pk: opens(x) for pk, x in ((x.pk, x) for x in InviteLink.objects.all())}
    for garbage in ("prep_nope", "x" * 500, "%00", "prep_' OR 1=1 --"):
        assert Client().post(opened_url(garbage)).status_code == 404, garbage
    InviteLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    assert Client().post(opened_url(token)).status_code == 410
    rita = User.objects.get(email="rita@kestrel.example")
    revoked, revoked_token = services.create_invite_link(actor=rita, application=jordan)
    services.revoke_invite_link(actor=rita, link=revoked)
    assert Client().post(opened_url(revoked_token)).status_code == 410
    assert {pk: opens(x) for pk, x in ((x.pk, x) for x in InviteLink.objects.all())} == {
        **before,
        revoked.pk: (0, None),
    }


def test_an_open_after_the_outcome_still_counts_while_the_link_lives(
    link_and_token: tuple[InviteLink, str], jordan: Application
) -> None:
    """The candidate reading their decision on the portal opened the link too."""
    link, token = link_and_token
    Application.objects.filter(pk=jordan.pk).update(stage=Stage.REJECTED)
    assert Client().post(opened_url(token)).status_code == 204
    assert opens(link)[0] == 1


def test_the_service_refuses_a_link_revoked_a_moment_ago(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    services.revoke_invite_link(actor=User.objects.get(email="rita@kestrel.example"), link=link)
    with pytest.raises(LinkRefused):
        services.record_invitation_open(token=token)
    with pytest.raises(InviteLink.DoesNotExist):
        services.record_invitation_open(token="prep_unknown")
    assert opens(link) == (0, None)


def test_the_service_counts_once_within_the_window(
    link_and_token: tuple[InviteLink, str],
) -> None:
    link, token = link_and_token
    first = services.record_invitation_open(token=token)
    assert first is not None
    assert services.record_invitation_open(token=token, last_counted_at=first) is None
    long_ago = first - services.OPEN_VISIT_WINDOW
    assert services.record_invitation_open(token=token, last_counted_at=long_ago) is not None
    # A stored time ahead of the clock (the clock was set back) is no visit in progress.
    ahead = timezone.now() + timedelta(minutes=5)
    assert services.record_invitation_open(token=token, last_counted_at=ahead) is not None
    assert opens(link)[0] == 3


def test_the_links_page_shows_the_count(link_and_token: tuple[InviteLink, str]) -> None:
    link, token = link_and_token
    rita = Client()
    rita.force_login(User.objects.get(email="rita@kestrel.example"))
    links_page = reverse("prep-links", args=[link.application_id])
    assert "Not yet" in rita.get(links_page).content.decode()
    Client().get(reverse("prep-invitation", args=[token]))  # a preview
    assert "Not yet" in rita.get(links_page).content.decode()
    Client().post(opened_url(token))
    assert "(1×)" in rita.get(links_page).content.decode()
