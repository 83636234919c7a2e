"""Web hardening (issue #10, items 14–15): a CSP on every page, HTTPS settings, local API docs."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from pytest_django.fixtures import Settings

from secondround.accounts.models import User
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "secondround"


def test_pages_carry_a_strict_content_security_policy(manager: User) -> None:
    for client, url in [(Client(), "/accounts/login/"), (client_for(manager), "/")]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", policy
        assert directives["default-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_an_inline_script_handler_or_style_attribute() -> None:
    """What the policy would block: inline <script> code, on…= handlers, style="…"."""
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if template.name.endswith("_print.html") or template.name == "pack.html":
            continue  # rendered to PDF on the server, never served to a browser
        text = template.read_text()
        inline_scripts = [
            tag
            for tag in re.findall(r"<script\b[^>]*>", text)
            if "src=" not in tag and 'type="application/json"' not in tag
        ]
        handlers = re.findall(r"\son[a-z]+\s*=", text)
        styles = re.findall(r"\sstyle\s*=", text)
        if inline_scripts or handlers or styles:
            offenders.append(f"{template}: {inline_scripts + handlers + styles}")
    assert not offenders, "\n".join(offenders)


def test_api_docs_load_swagger_from_this_site(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources), sources
    assert all(s.startswith("/") for s in sources), sources  # nothing from a CDN
    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui.css")


def _settings_with(env: dict[str, str]) -> object:
    """The settings module as it reads this environment (then restored as it was)."""
    import secondround.settings as module

    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        fresh = importlib.reload(module)
        return {k: getattr(fresh, k) for k in dir(fresh) if k.isupper()}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        importlib.reload(module)


def test_https_setting_turns_on_secure_cookies_hsts_and_the_proxy_header(
    settings: Settings, manager: User
) -> None:
    off = _settings_with({"SECONDROUND_HTTPS": "0"})
    assert not off.get("SESSION_COOKIE_SECURE") and "SECURE_PROXY_SSL_HEADER" not in off  # type: ignore[attr-defined]
    on = _settings_with({"SECONDROUND_HTTPS": "1"})
    for name in ("SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                 "SECURE_HSTS_SECONDS"):  # fmt: skip
        setattr(settings, name, on[name])  # type: ignore[index]
    assert on["SECURE_HSTS_SECONDS"] >= 31_536_000  # type: ignore[index]
    response = Client().post(
        "/accounts/login/",
        {"username": manager.email, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["csrftoken"]["secure"] is True
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
