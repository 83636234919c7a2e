"""Sign-in protection: lockout after repeated failures, idle sessions, two-factor codes."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from secondround.accounts.models import Role
from secondround.security import services
from secondround.security.middleware import LAST_SEEN_KEY
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _sign_in(client: Client, email: str, password: str, ip: str = "10.1.1.1") -> int:
    response = client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)
    return response.status_code


def test_a_burst_of_wrong_passwords_locks_the_account_and_says_so() -> None:
    user = UserFactory()
    client = Client()
    statuses = [_sign_in(client, user.email, f"wrong-{n}") for n in range(50)]
    assert statuses[0] == 200  # the form again, with its error
    assert 429 in statuses
    locked = client.post(
        LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert locked.status_code == 429
    assert b"Signing in is paused" in locked.content and b"15 minutes" in locked.content
    assert "_auth_user_id" not in client.session
    # The lock is per account too: the right password from another address is still refused.
    elsewhere = Client()
    assert _sign_in(elsewhere, user.email.upper(), PASSWORD, ip="10.9.9.9") == 429


def test_many_accounts_tried_from_one_address_lock_that_address(settings: Settings) -> None:
    settings.SECONDROUND_LOGIN_ADDRESS_LIMIT = 15
    users = UserFactory.create_batch(17)
    client = Client()
    for user in users[:14]:  # one failure each: no account reaches its own limit
        _sign_in(client, user.email, "nope", ip="10.2.2.2")
    assert _sign_in(Client(), users[15].email, PASSWORD, ip="10.2.2.2") == 302  # under 15
    _sign_in(client, users[14].email, "nope", ip="10.2.2.2")
    assert _sign_in(Client(), users[16].email, PASSWORD, ip="10.2.2.2") == 429
    assert _sign_in(Client(), users[16].email, PASSWORD, ip="10.3.3.3") == 302


def test_one_account_locked_does_not_lock_colleagues_at_the_same_address() -> None:
    tom, hana = UserFactory(), UserFactory()
    client = Client()
    for n in range(12):
        _sign_in(client, tom.email, f"wrong-{n}", ip="10.4.4.4")
    assert _sign_in(Client(), tom.email, PASSWORD, ip="10.4.4.4") == 429
    assert _sign_in(Client(), hana.email, PASSWORD, ip="10.4.4.4") == 302


def test_sign_in_ignores_the_case_of_the_email() -> None:
    UserFactory(email="casey@example.com")
    assert _sign_in(Client(), "Casey@Example.COM", PASSWORD) == 302


def test_a_few_mistakes_then_the_right_password_signs_in() -> None:
    user = UserFactory()
    client = Client()
    for _ in range(3):
        assert _sign_in(client, user.email, "typo") == 200
    assert _sign_in(client, user.email, PASSWORD) == 302


def test_an_idle_session_ends_and_says_why() -> None:
    user = UserFactory()
    client = client_for(user)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 3 * 3600
    session.save()
    response = client.get("/positions/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/").status_code == 302  # signed out for good
    htmx = client_for(user)
    session = htmx.session
    session[LAST_SEEN_KEY] = int(time.time()) - 3 * 3600
    session.save()
    partial = htmx.get("/positions/", headers={"HX-Request": "true"})
    assert partial["HX-Redirect"].startswith(LOGIN)


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_two_factor_set_up_then_required_at_sign_in() -> None:
    user = UserFactory()
    client = Client()
    assert _sign_in(client, user.email, PASSWORD) == 302
    assert client.post("/account/two-factor/", {"step": "start"}).status_code == 302
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get("/account/two-factor/qr.svg")["Content-Type"] == "image/svg+xml"
    wrong = client.post("/account/two-factor/", {"step": "confirm", "code": "000000"})
    assert wrong.status_code == 400 and b"not accepted" in wrong.content
    bad = client.post("/account/two-factor/", {"step": "confirm", "code": "12ab"})
    assert bad.status_code == 400 and b"6 digits" in bad.content
    assert (
        client.post("/account/two-factor/", {"step": "confirm", "code": _code(device)}).status_code
        == 302
    )
    device.refresh_from_db()
    assert device.confirmed

    fresh = Client()
    assert _sign_in(fresh, user.email, PASSWORD) == 302
    blocked = fresh.get("/positions/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(
        "/account/two-factor/verify/"
    )
    assert fresh.post("/account/two-factor/verify/", {"code": "000000"}).status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, last_t=-1)
    device.refresh_from_db()
    ok = fresh.post(
        "/account/two-factor/verify/", {"code": _code(device), "next": "https://evil.example/"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert fresh.get("/positions/").status_code == 200


def test_admins_must_set_up_two_factor_when_the_organisation_says_so() -> None:
    admin = UserFactory(role=Role.ADMIN)
    interviewer = UserFactory()
    client = client_for(admin)
    assert client.post("/settings/security/", {"require_admin_two_factor": "on"}).status_code == 302
    forced = client.get("/positions/")
    assert forced.status_code == 302 and forced["Location"] == "/account/two-factor/"
    assert b"requires admins" in client.get("/account/two-factor/").content
    assert client_for(interviewer).get("/positions/").status_code == 200
    assert client_for(interviewer).post("/settings/security/", {}).status_code == 403


def test_an_admin_cannot_turn_off_a_required_second_factor() -> None:
    admin = UserFactory(role=Role.ADMIN)
    services.update_security_policy(actor=admin, require_admin_two_factor=True)
    services.start_two_factor(user=admin)
    device = TOTPDevice.objects.get(user=admin)
    services.confirm_two_factor(user=admin, code=_code(device))
    with pytest.raises(Exception, match="requires admins"):
        services.turn_off_two_factor(user=admin, code=_code(device))
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
