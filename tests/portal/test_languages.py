"""The portal in German: chosen on the page, dates localised, the compiled catalogue shipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

import secondround.portal
from secondround.hiring.models import Application, Interview
from tests.portal.conftest import TOKEN, portal_page

pytestmark = pytest.mark.django_db


def choose(client: Client, language: str, time_zone: str = "Europe/Berlin") -> None:
    response = client.post(
        reverse("portal-preferences", args=[TOKEN]),
        {"language": language, "time_zone": time_zone},
    )
    assert response.status_code == 302


def test_the_candidate_picks_german_and_the_page_and_dates_follow(aisha: Application) -> None:
    client = Client()
    assert "Where you stand" in portal_page(client)
    choose(client, "de")
    page = portal_page(client)
    assert '<html lang="de">' in page
    assert "Wo Sie stehen" in page and "Ihre Gespräche" in page and "Ihre Fragen an uns" in page
    assert "Where you stand" not in page
    first = Interview.objects.filter(application=aisha).order_by("starts_at").first()
    assert first is not None
    with translation.override("de"):
        from zoneinfo import ZoneInfo

        local = first.starts_at.astimezone(ZoneInfo("Europe/Berlin"))
        day = formats.date_format(local, "DATE_FORMAT")
        weekday = formats.date_format(local, "l")
    assert f"{weekday}, {day}" in page  # e.g. "Montag, 30. November 2026"
    assert local.strftime("%H:%M") in page  # the time in the candidate's zone
    assert "Zeiten in Europe/Berlin." in page

    choose(client, "en", "UTC")
    assert "Where you stand" in portal_page(client)


def test_german_errors_and_the_410_page(aisha: Application) -> None:
    client = Client()
    choose(client, "de")
    response = client.post(reverse("portal-ask", args=[TOKEN]), {"text": " "})
    assert response.status_code == 400
    assert "Dieses Feld ist" in response.content.decode()  # "… (zwingend) erforderlich."


def test_unknown_language_or_zone_is_refused_with_400(aisha: Application) -> None:
    client = Client()
    bad = client.post(
        reverse("portal-preferences", args=[TOKEN]), {"language": "xx", "time_zone": "Mars/Base"}
    )
    assert bad.status_code == 400
    assert "Where you stand" in portal_page(client)


def test_the_compiled_catalogue_is_committed_and_current() -> None:
    folder = Path(secondround.portal.__file__).parent / "locale" / "de" / "LC_MESSAGES"
    po, mo = folder / "django.po", folder / "django.mo"
    assert mo.exists() and mo.stat().st_size > 1000
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1  # compiled after the last edit
