"""A real SMTP server (aiosmtpd) that keeps what it receives, and can be told to refuse."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings

from secondround.settings import mailer_from_url


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
