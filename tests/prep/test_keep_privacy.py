""" "Keep your work" must not tell strangers which addresses have accounts, nor be a probe."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import Role, User
from secondround.prep.models import PrepKit
from secondround.prep.services import KEEP_REFUSED
from secondround.security.throttle import KEEP_ACCOUNT_LIMITS
from tests.factories import UserFactory
from tests.prep.test_kit import BACKEND_POSTING

pytestmark = pytest.mark.django_db
NEUTRAL = str(KEEP_REFUSED).replace("'", "&#x27;")  # as the page escapes it


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    cache.clear()


def _seeker_with_kit(ip: str = "203.0.113.7") -> tuple[Client, PrepKit]:
    seeker = Client(REMOTE_ADDR=ip)
    seeker.post(
        reverse("prep-home"),
        {"company_name": "Lumen Pay", "posting_text": BACKEND_POSTING, "company_text": ""},
    )
    return seeker, PrepKit.objects.latest("created_at")


def _keep(seeker: Client, kit: PrepKit, email: str) -> str:
    response = seeker.post(
        reverse("prep-keep", args=[kit.public_id]),
        {"full_name": "Probe", "email": email, "password": "a-long-pass-phrase"},
    )
    return response.content.decode() if response.status_code in (200, 429) else ""


@pytest.mark.parametrize("email", ["hana@acme.example", " Hana@ACME.example "])
def test_a_staff_address_gets_a_neutral_answer_and_nothing_is_created(email: str) -> None:
    UserFactory(email="hana@acme.example", role=Role.HIRING_MANAGER)
    seeker, kit = _seeker_with_kit()
    users = User.objects.count()
    page = _keep(seeker, kit, email)
    assert "already exists" not in page
    assert NEUTRAL in page
    assert User.objects.count() == users
    kit.refresh_from_db()
    assert kit.owner is None
    assert "_auth_user_id" not in seeker.session


def test_the_neutral_answer_does_not_say_whether_an_account_exists() -> None:
    assert "exist" not in str(KEEP_REFUSED).lower()
    assert "log in" in str(KEEP_REFUSED).lower()


def test_one_address_cannot_be_tried_over_and_over() -> None:
    UserFactory(email="admin@acme.example", role=Role.ADMIN)
    per_address = KEEP_ACCOUNT_LIMITS["address"][0]
    for n in range(per_address):  # from different places, so only the address counts
        seeker, kit = _seeker_with_kit(ip=f"198.51.100.{n + 1}")
        assert NEUTRAL in _keep(seeker, kit, "admin@acme.example")
    seeker, kit = _seeker_with_kit(ip="198.51.100.200")
    page = _keep(seeker, kit, "ADMIN@acme.example")
    assert "Too many tries" in page
    assert NEUTRAL not in page


def test_one_browser_cannot_probe_many_addresses() -> None:
    per_ip = KEEP_ACCOUNT_LIMITS["ip"][0]
    seeker, kit = _seeker_with_kit()
    for n in range(per_ip + 1):
        UserFactory(email=f"staff{n}@acme.example")
    for n in range(per_ip):
        assert NEUTRAL in _keep(seeker, kit, f"staff{n}@acme.example")
    page = _keep(seeker, kit, f"staff{per_ip}@acme.example")
    assert "Too many tries" in page
    assert NEUTRAL not in page
    # Someone else, elsewhere, is not held up by it.
    other, other_kit = _seeker_with_kit(ip="192.0.2.1")
    assert "Too many tries" not in _keep(other, other_kit, f"staff{per_ip}@acme.example")
