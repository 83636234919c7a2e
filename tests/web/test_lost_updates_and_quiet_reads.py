"""Counters move in the database, not read-then-write; reads do not each write."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from secondround.accounts.models import User
from secondround.accounts.services import create_api_token
from secondround.prep import access
from secondround.prep import services as prep_services
from secondround.prep.models import InviteLink
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db
DEMO_LINK = "prep_demo-aisha-bello-kestrel"


def test_two_opens_of_a_link_read_at_the_same_moment_are_both_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_demo()
    stale = access.link_for_token(DEMO_LINK)  # what a second request read before the first wrote
    before = stale.times_opened
    prep_services.record_invitation_open(token=DEMO_LINK)
    monkeypatch.setattr(prep_services, "link_for_token", lambda token: stale)
    prep_services.record_invitation_open(token=DEMO_LINK)  # another browser: no last open
    assert InviteLink.objects.get(pk=stale.pk).times_opened == before + 2


def test_api_reads_write_the_tokens_last_use_at_most_once_a_minute() -> None:
    load_demo()
    _token, key = create_api_token(user=User.objects.get(email="hana@kestrel.example"), name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/v1/positions").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/positions").status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert writes == []
