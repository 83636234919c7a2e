"""The portal's language and time zone: refused by field, and the zone is the candidate's one
zone (``scheduling.CandidateTimeZone``), the same the scheduling page reads and writes."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secondround.bookings.selectors import policy
from secondround.hiring.models import Application, Candidate
from secondround.scheduling.models import CandidateTimeZone
from secondround.scheduling.services import set_candidate_availability
from tests.portal.conftest import TOKEN, move_loop_to, portal_page

pytestmark = pytest.mark.django_db


def schedule_page(client: Client) -> str:
    response = client.get(reverse("candidate-schedule", args=[TOKEN]))
    assert response.status_code == 200
    return response.content.decode()


def field_error(page: str, field: str) -> str:
    """The error shown next to a field of the preferences form ("" when none)."""
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


@pytest.mark.parametrize(
    "data, field",
    [
        ({"language": "en", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"language": "en", "time_zone": ""}, "time_zone"),
        ({"language": "en", "time_zone": "asia/tokyo"}, "time_zone"),
        ({"language": "xx", "time_zone": "Asia/Tokyo"}, "language"),
    ],
)
def test_a_bad_language_or_zone_is_shown_next_to_its_field_and_nothing_is_saved(
    aisha: Application, data: dict[str, str], field: str
) -> None:
    response = Client().post(reverse("portal-preferences", args=[TOKEN]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert field_error(page, field), f"no error shown for {field}"
    other = "language" if field == "time_zone" else "time_zone"
    assert field_error(page, other) == ""
    assert not CandidateTimeZone.objects.filter(application=aisha).exists()
    # The refused select shows what is saved (not its first option, which Apply would save).
    saved = {"time_zone": "Europe/Berlin", "language": "en"}[field]
    assert re.search(rf'<option value="{saved}"[^>]*selected', page)
    assert Candidate.objects.get(pk=aisha.candidate_id).language == aisha.candidate.language


def test_the_service_names_each_bad_field(aisha: Application) -> None:
    from secondround.portal.services import save_preferences

    with pytest.raises(ValidationError) as refused:
        save_preferences(application=aisha, language="xx", time_zone="Mars/Olympus")
    assert set(refused.value.message_dict) == {"language", "time_zone"}


def test_without_a_chosen_zone_portal_and_schedule_show_the_organisations(
    aisha: Application,
) -> None:
    move_loop_to(aisha, 2)
    CandidateTimeZone.objects.filter(application=aisha).delete()
    zone = policy().time_zone
    client = Client()
    assert f"Times are in {zone}." in portal_page(client)
    assert f"All times are shown in your time zone, {zone}." in schedule_page(client)


def test_a_zone_chosen_on_the_portal_reaches_the_schedule_page_and_other_browsers(
    aisha: Application,
) -> None:
    move_loop_to(aisha, 2)
    client = Client()
    response = client.post(
        reverse("portal-preferences", args=[TOKEN]),
        {"language": "en", "time_zone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    assert CandidateTimeZone.objects.get(application=aisha).time_zone == "Asia/Tokyo"
    assert "All times are shown in your time zone, Asia/Tokyo." in schedule_page(client)
    assert "Times are in Asia/Tokyo." in portal_page(Client())  # the candidate's phone, too


def test_a_zone_given_on_the_schedule_page_shows_on_the_portal(aisha: Application) -> None:
    move_loop_to(aisha, 2)
    client = Client()
    client.post(
        reverse("portal-preferences", args=[TOKEN]),
        {"language": "en", "time_zone": "Asia/Tokyo"},
    )
    set_candidate_availability(None, aisha, time_zone="America/Los_Angeles", spans=[])
    assert "Times are in America/Los_Angeles." in portal_page(client)
