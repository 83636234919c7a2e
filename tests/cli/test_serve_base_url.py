"""`secondround serve` points links in background mail at the address it serves on, unless
SECONDROUND_BASE_URL says otherwise (candidate trial #3: links to port 8000 on a site served
on 8782)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from secondround.cli import _base_url_for_mail


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8782, "http://localhost:8782"),
        ("0.0.0.0", 8000, "http://localhost:8000"),
        ("hiring.internal", 9000, "http://hiring.internal:9000"),
        ("fe80::1", 8001, "http://[fe80::1]:8001"),
    ],
)
def test_the_default_is_the_address_served_on(
    monkeypatch: pytest.MonkeyPatch, host: str, port: int, expected: str
) -> None:
    monkeypatch.delenv("SECONDROUND_BASE_URL", raising=False)
    assert _base_url_for_mail(host, port) == expected
    assert os.environ["SECONDROUND_BASE_URL"] == expected  # the web and worker children see it


def test_a_configured_base_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECONDROUND_BASE_URL", "https://jobs.example.org/")
    assert _base_url_for_mail("127.0.0.1", 8782) == "https://jobs.example.org"


def test_the_settings_read_in_a_fresh_process_take_the_served_address() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECONDROUND_BASE_URL"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "from secondround.cli import _base_url_for_mail, _setup_django\n"
        "_base_url_for_mail('127.0.0.1', 8782)\n"
        "_setup_django()\n"
        "from django.conf import settings\n"
        "print(settings.SECONDROUND_BASE_URL)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "http://localhost:8782"
