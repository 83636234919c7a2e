"""A posting no role family fits makes a kit from the skills it names (issue #14, item 4)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondround.prep.models import PrepKit
from secondround.prep.posting_kit import SKILLS_COMPETENCY

PILOT = (
    "Second Officer, B737. Base: Oslo. Requirements: frozen ATPL; B737 type rating; "
    "multi-crew cooperation course. Responsibilities: fly scheduled services with the captain, "
    "do pre-flight planning. Interview process: 1) online assessment 2) simulator check "
    "3) panel interview."
)


def _kit_page(text: str) -> tuple[PrepKit, str]:
    client = Client()
    response = client.post(reverse("prep-home"), {"posting_text": text})
    assert response.status_code == 302, response.content.decode()[:500]
    return PrepKit.objects.latest("created_at"), client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_posting_no_family_fits_makes_a_kit_from_its_skills() -> None:
    kit, page = _kit_page(PILOT)
    assert kit.parsed["role_family"] == ""
    assert kit.parsed["title"] == "Second Officer"
    assert "None of the role families we know fits" in page
    assert SKILLS_COMPETENCY in page
    for skill in ("frozen ATPL", "type rating", "multi-crew cooperation course"):
        assert skill in page
    assert kit.parsed["interview_steps"] == [
        "online assessment",
        "simulator check",
        "panel interview",
    ]


@pytest.mark.django_db
def test_a_look_alike_posting_gets_no_manager_competencies() -> None:
    kit, page = _kit_page(
        "Barista @ Harbour Coffee\nPull espresso, pour latte art and serve a queue of commuters "
        "with a smile. Requirements: a year on a busy bar; latte art."
    )
    assert kit.parsed["role_family"] == ""
    assert kit.parsed["near_family"] == "restaurant-manager"
    assert "latte art" in page
    assert "P&amp;L" not in page and "rota" not in page.lower()
