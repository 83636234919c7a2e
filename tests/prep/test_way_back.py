"""Candidate pages are no dead ends: every page reached from the private link (schedule,
survey, letter, every kit page) links back to the candidate's portal, and the logo goes there
too, never to the staff login. A job seeker's posting kit sends the logo to their kits."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from secondround.hiring.models import Application
from secondround.prep.models import PrepKit
from secondround.prep.services import create_posting_kit
from tests.portal.conftest import TOKEN, aisha  # noqa: F401 (the demo finalist fixture)
from tests.prep.test_posting import BACKEND_POSTING

pytestmark = pytest.mark.django_db
PORTAL = f"/portal/{TOKEN}/"


def brand(page: str) -> str:
    found = re.search(r'<a class="brand" href="([^"]*)"', page)
    assert found, "no logo link"
    return found.group(1)


def links_back(page: str) -> bool:
    return re.search(rf'<a href="{re.escape(PORTAL)}"[^>]*>Your page</a>', page) is not None


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_pages_on_the_private_link_lead_back_to_the_portal(
    aisha: Application,  # noqa: F811
) -> None:
    client = Client()
    opened = client.get(reverse("prep-invitation", args=[TOKEN]) + "?to=kit")
    kit = PrepKit.objects.get(public_id=opened["Location"].rstrip("/").split("/")[-1])
    pages = [
        reverse("portal", args=[TOKEN]),
        reverse("candidate-schedule", args=[TOKEN]),
        reverse("survey-candidate", args=[TOKEN]),
        reverse("feedback-letter-candidate", args=[TOKEN]),
        *(
            reverse(name, args=[kit.public_id])
            for name in ("prep-kit", "prep-stories", "prep-ask", "prep-practice")
        ),
    ]
    for url in pages:
        page = get(client, url)
        assert brand(page) == PORTAL, url
        assert links_back(page), url


def test_a_posting_kit_sends_the_logo_to_the_job_seekers_kits_and_staff_pages_keep_home(
    db: None,
) -> None:
    client = Client()
    kit, key = create_posting_kit(
        posting_text=BACKEND_POSTING, company_text="", company_name="", owner=None
    )
    session = client.session
    session["prep_kits"] = {str(kit.public_id): {"key": key}}
    session.save()
    page = get(client, reverse("prep-kit", args=[kit.public_id]))
    assert brand(page) == reverse("prep-home")
    assert "Your page" not in page
    login = get(Client(), reverse("login"))
    assert brand(login) == reverse("home")
