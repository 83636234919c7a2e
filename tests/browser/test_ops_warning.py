"""An admin hears on the home page when the task worker is missing, and follows the link."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from secondround.accounts.models import Role
from secondround.ops import leases
from tests.browser.conftest import Shots, assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_sees_the_worker_warning_until_a_worker_beats(page: Page, shots: Shots) -> None:
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True, full_name="Ada Admin")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("No task worker has ever run")
    assert_accessible(page)
    shots.take("home-worker-missing")
    page.set_viewport_size({"width": 390, "height": 844})
    shots.take("home-worker-missing-390px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="See the background tasks").click()
    expect(page).to_have_url("/admin/django_tasks_database/dbtaskresult/")
    shots.take("admin-task-list")

    leases.beat("browser-test-worker", started_at=timezone.now())
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    shots.take("home-all-well")
