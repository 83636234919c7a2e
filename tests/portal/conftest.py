from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondround import demo
from secondround.hiring.models import Application
from secondround.prep import demo as prep_demo

TOKEN = prep_demo.DEMO_LINK_TOKEN


@pytest.fixture
def aisha(db: None) -> Application:
    demo.load()
    return Application.objects.get(
        candidate__full_name="Aisha Bello", position__title="Senior software engineer"
    )


def portal_page(client: Client | None = None, token: str = TOKEN) -> str:
    response = (client or Client()).get(reverse("portal", args=[token]))
    assert response.status_code == 200, response.status_code
    return response.content.decode()
