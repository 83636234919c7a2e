"""The requests a busy team sends most (the load benchmark's mix) do no needless work."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondround.accounts.models import Role, User
from secondround.hiring.models import Position
from secondround.hiring.selectors import can_manage_position
from secondround.scorecards.models import Rating, Scorecard, ScorecardStatus
from secondround.scorecards.services import ScorecardInput, save_draft
from secondround.security import middleware as security_middleware
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DEMO_LINK = "prep_demo-aisha-bello-kestrel"


def _draft() -> Scorecard:
    load_demo()
    card = (
        Scorecard.objects.filter(round=2, session__isnull=False)
        .annotate(n=Count("ratings"))
        .filter(n__gte=2)
        .order_by("pk")
        .first()
    )
    assert card is not None
    Scorecard.objects.filter(pk=card.pk).update(status=ScorecardStatus.DRAFT, submitted_at=None)
    card.refresh_from_db()
    return card


def _as_typed(card: Scorecard) -> ScorecardInput:
    """The whole form, as autosave sends it every few seconds."""
    return ScorecardInput(
        ratings={
            r.competency_id: {"rating": r.rating, "notes": r.notes, "shareable": r.shareable}
            for r in card.ratings.all()
        },
        resolutions={
            x.item_id: {"status": x.status, "note": x.note} for x in card.resolutions.all()
        },
        overall={
            "recommendation": card.recommendation,
            "confidence": card.confidence,
            "takeaways": card.takeaways,
        },
    )


def test_an_autosave_writes_only_the_rating_that_changed() -> None:
    card = _draft()
    data = _as_typed(card)
    changed = next(iter(data.ratings))
    data.ratings[changed]["notes"] = "Walked through the rollback plan step by step."
    with CaptureQueriesContext(connection) as queries:
        save_draft(actor=card.interviewer, scorecard=card, data=data)
    sql = [q["sql"] for q in queries]
    writes = [s for s in sql if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 1 and '"scorecards_rating"' in writes[0], writes
    # No uniqueness or foreign-key check per row: the keys of a row never change here.
    assert not [s for s in sql if s.lstrip().upper().startswith('SELECT 1 AS "A"')], sql
    rating = Rating.objects.get(scorecard=card, competency_id=changed)
    assert rating.notes == "Walked through the rollback plan step by step."


def test_an_autosave_with_nothing_changed_writes_nothing() -> None:
    card = _draft()
    with CaptureQueriesContext(connection) as queries:
        save_draft(actor=card.interviewer, scorecard=card, data=_as_typed(card))
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert writes == []


def test_a_changed_value_is_still_validated_and_nothing_is_half_saved() -> None:
    card = _draft()
    data = _as_typed(card)
    first, second = list(data.ratings)[:2]
    data.ratings[first]["notes"] = "Kept."
    data.ratings[second]["rating"] = 9
    with pytest.raises(ValidationError) as refused:
        save_draft(actor=card.interviewer, scorecard=card, data=data)
    assert "rating" in refused.value.message_dict
    assert Rating.objects.get(scorecard=card, competency_id=first).notes != "Kept."


def test_the_hiring_manager_is_recognised_without_a_query_and_others_as_before() -> None:
    load_demo()
    position = Position.objects.select_related("hiring_manager").get(
        title="Senior software engineer"
    )
    manager = position.hiring_manager
    with CaptureQueriesContext(connection) as queries:
        assert can_manage_position(manager, position)
    assert len(queries) == 0
    recruiter = position.recruiters.first()
    assert recruiter is not None and can_manage_position(recruiter, position)
    interviewer = (
        User.objects.filter(seats__session__plan__position=position)
        .exclude(pk=manager.pk)
        .exclude(pk__in=position.recruiters.values("pk"))
        .exclude(role=Role.ADMIN)
        .first()
    )
    assert interviewer is not None and not can_manage_position(interviewer, position)
    User.objects.filter(pk=manager.pk).update(is_active=False)
    manager.refresh_from_db()
    assert not can_manage_position(manager, position)


def test_reopening_a_private_link_from_the_same_browser_does_not_rewrite_its_session() -> None:
    load_demo()
    browser = Client()
    first = browser.get(f"/prep/i/{DEMO_LINK}/")
    assert first.status_code == 302
    with CaptureQueriesContext(connection) as queries:
        again = browser.get(f"/prep/i/{DEMO_LINK}/")
    assert again.status_code == 302 and again["Location"] == first["Location"]
    session_writes = [
        q["sql"] for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"].upper()
    ]
    assert session_writes == []
    assert browser.get(again["Location"]).status_code == 200  # the grant is still there


def _device_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "otp_totp_totpdevice" in q["sql"]]


def test_the_two_factor_check_is_kept_in_the_session_for_a_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = UserFactory()
    browser = client_for(user)
    assert len(_device_queries(browser, "/positions/")) == 1  # the first page checks
    assert _device_queries(browser, "/positions/") == []  # the next ones within a minute do not
    # A device confirmed elsewhere is asked for once the minute is over.
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    monkeypatch.setattr(security_middleware, "TWO_FACTOR_RECHECK_SECONDS", 0)
    asked = browser.get("/positions/")
    assert asked.status_code == 302 and asked["Location"].startswith("/account/two-factor/verify/")


def test_an_admin_who_turns_the_rule_on_is_asked_at_once_and_others_within_a_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin, colleague = UserFactory(role=Role.ADMIN), UserFactory(role=Role.ADMIN)
    other_session = client_for(colleague)
    assert other_session.get("/positions/").status_code == 200
    browser = client_for(admin)
    assert browser.get("/positions/").status_code == 200
    assert (
        browser.post("/settings/security/", {"require_admin_two_factor": "on"}).status_code == 302
    )
    assert browser.get("/positions/")["Location"] == "/account/two-factor/"
    assert other_session.get("/positions/").status_code == 200  # still within its minute
    monkeypatch.setattr(security_middleware, "TWO_FACTOR_RECHECK_SECONDS", 0)
    assert other_session.get("/positions/")["Location"] == "/account/two-factor/"
