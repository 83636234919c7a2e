"""A refused form answers 400 (bad input is a 4xx to a browser, a script and a probe alike),
still showing the form with the field's error; nothing is stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Position
from secondround.loops.models import ClarificationItem, LoopSession
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


def refused_posts() -> list[tuple[str, str, dict[str, Any], str]]:
    """(who, url, body, the field named) for each form, with one bad field."""
    engineering = Position.objects.get(title="Senior software engineer")
    jordan = engineering.applications.get(candidate__full_name="Jordan Ellis")
    session = LoopSession.objects.filter(plan__position=engineering).first()
    competency = engineering.competencies.first()
    item = ClarificationItem.objects.filter(application__position=engineering).first()
    other_session = LoopSession.objects.exclude(plan__position=engineering).first()
    assert session and competency and item and other_session
    hana, admin = "hana@kestrel.example", "admin@kestrel.example"
    return [
        (hana, reverse("company"), {"name": " "}, "name"),
        (hana, reverse("position-create"), {"template": "astronaut"}, "template"),
        (hana, reverse("position-edit", args=[engineering.pk]), {"title": " "}, "title"),
        (hana, reverse("competency-new", args=[engineering.pk]), {"name": " "}, "name"),
        (hana, reverse("competency-edit", args=[engineering.pk, competency.pk]),
         {"name": " ", "weight": "-1"}, "weight"),
        (hana, reverse("candidate-add", args=[engineering.pk]), {"email": " "}, "email"),
        (hana, reverse("question-new"), {"text": " "}, "text"),
        (hana, reverse("scenario-new"), {"title": " "}, "title"),
        (hana, reverse("prep-links", args=[jordan.pk]), {"days": "-1"}, "days"),
        (hana, reverse("session-edit", args=[engineering.pk, session.pk]),
         {"duration_minutes": "-1"}, "duration_minutes"),
        (hana, reverse("item-edit", args=[engineering.pk, item.pk]),
         {"summary": "Still open", "session": other_session.pk, "status": item.status}, "session"),
        (hana, reverse("item-new", args=[engineering.pk, jordan.pk]), {"summary": " "}, "summary"),
        (admin, reverse("users"), {"email": " "}, "email"),
        (hana, reverse("prep-home"), {"posting_text": " "}, "posting_text"),
        (admin, reverse("user-edit", args=[User.objects.get(email=hana).pk]),
         {"full_name": " "}, "full_name"),
    ]  # fmt: skip


def test_every_refused_form_answers_400_naming_the_field() -> None:
    load_demo()
    wrong = []
    for who, url, body, field in refused_posts():
        response = client_for(User.objects.get(email=who)).post(url, body)
        named = f'id="id_{field}_error"' in response.content.decode() or (
            field in response.context["form"].errors
        )
        if response.status_code != 400 or not named:
            wrong.append(f"{url} {body}: {response.status_code}, names {field}: {named}")
    assert not wrong, "\n".join(wrong)


def test_each_invalid_field_is_described_by_its_error_on_the_page() -> None:
    """A screen reader announces the error when the field gets focus: every id a field's
    aria-describedby names (Django adds `<id>_error` to an invalid field) is on the page."""
    load_demo()
    missing = []
    for who, url, body, _field in refused_posts():
        html = client_for(User.objects.get(email=who)).post(url, body).content.decode()
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for described in re.findall(r'aria-invalid="true"[^>]*aria-describedby="([^"]+)"', html):
            missing += [f"{url}: #{ref}" for ref in described.split() if ref not in ids]
    assert not missing, "\n".join(missing)
