"""Django admin covers every model of the project, and each list page opens."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from secondround.accounts.models import User
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


def test_every_project_model_is_in_the_admin() -> None:
    ours = [m for m in apps.get_models() if m.__module__.startswith("secondround.")]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
    assert missing == []


def test_every_admin_list_page_opens_with_the_demo_loaded() -> None:
    load_demo()
    client = client_for(User.objects.get(email="admin@kestrel.example"))
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
