from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings

from secondround.accounts.models import Role, User
from secondround.hiring.models import Position
from secondround.settings import mailer_from_url
from tests.factories import UserFactory, make_position

# CI runs the same examples every time, so a red build is reproducible and never luck;
# local runs keep searching new ones (and remember failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Tests store passwords with a fast hash. Argon2 is slow on purpose (about 0.1 CPU s a
    password here), and the suite makes thousands of users: about a third of its time went to
    hashing. Nothing in the tests depends on the algorithm; production keeps Argon2."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings: Settings) -> None:
    """Tests serve static files from the source folders; no collectstatic manifest needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_calibration_reading() -> None:
    """The calibration's in-process reading is keyed by the snapshot's id and time, which the
    replayed demo (tests/demo_cache.py) repeats from test to test; a test that edits a snapshot
    in place must not hand its reading to the next."""
    from secondround.debrief.calibration import _load_cached

    _load_cached.cache_clear()


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(role=Role.HIRING_MANAGER, full_name="Hana Manager")


@pytest.fixture
def recruiter(db: None) -> User:
    return UserFactory(role=Role.RECRUITER)


@pytest.fixture
def panel_interviewer(db: None) -> User:
    return UserFactory(role=Role.INTERVIEWER)


@pytest.fixture
def outsider(db: None) -> User:
    """An interviewer on no panel of the position."""
    return UserFactory(role=Role.INTERVIEWER)


@pytest.fixture
def position(manager: User, recruiter: User, panel_interviewer: User) -> Position:
    return make_position(manager, recruiters=[recruiter], interviewers=[panel_interviewer])


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- a real SMTP server (aiosmtpd) that keeps what it receives, and can be told to refuse ---


class Inbox:
    """Keeps every message; while ``refuse`` is set, answers DATA with it instead."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = ""

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.refuse:
            return self.refuse
        content = envelope.content  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{port}")}
    settings.SECONDROUND_MAIL_RETRY_SECONDS = 0
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings: Settings) -> int:
    """A port nothing listens on: every try is refused by the operating system."""
    port = free_port()
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{port}")}
    settings.SECONDROUND_MAIL_RETRY_SECONDS = 0
    return port


def body_of(message: EmailMessage) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()
