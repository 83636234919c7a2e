"""Mail goes through a real SMTP server; background work through the real database worker."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from secondround.accounts.models import User
from secondround.hiring import services
from secondround.hiring.models import Position, Stage
from secondround.settings import mailer_from_url
from tests.factories import PASSWORD, make_application

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
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
    yield inbox
    controller.stop()


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_password_reset_by_email_end_to_end(smtp: Inbox, manager: User) -> None:
    client = Client()
    response = client.post(reverse("password_reset"), {"email": manager.email})
    assert response.status_code == 302
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == manager.email
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", body_of(message))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"] is True
    new_password = "a-brand-new-passphrase-42"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert Client().login(email=manager.email, password=new_password)
    assert not Client().login(email=manager.email, password=PASSWORD)


def test_reset_for_unknown_email_sends_nothing(smtp: Inbox) -> None:
    Client().post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert smtp.messages == []


def test_reaching_round_two_mails_the_hiring_manager_through_the_worker(
    smtp: Inbox, position: Position
) -> None:
    application = make_application(position, name="Robin Finalist")
    manager = position.hiring_manager
    services.move_application(actor=manager, application=application, to_stage=Stage.FIRST_ROUND)
    services.move_application(actor=manager, application=application, to_stage=Stage.SECOND_ROUND)
    assert smtp.messages == []  # queued, not sent inline
    call_command("db_worker", batch=True, verbosity=0)
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == manager.email
    assert "Robin Finalist" in smtp.messages[0]["Subject"]
