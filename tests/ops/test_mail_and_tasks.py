"""Mail goes through a real SMTP server; background work through the real database worker."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring import services
from secondround.hiring.models import Position, Stage
from tests.conftest import Inbox, body_of
from tests.factories import PASSWORD, make_application

pytestmark = pytest.mark.django_db(transaction=True)


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
