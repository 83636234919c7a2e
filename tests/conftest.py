from __future__ import annotations

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings

from secondround.accounts.models import Role, User
from secondround.hiring.models import Position
from tests.factories import UserFactory, make_position

# CI runs the same examples every time, so a red build is reproducible and never luck;
# local runs keep searching new ones (and remember failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def plain_static_files(settings: Settings) -> None:
    """Tests serve static files from the source folders; no collectstatic manifest needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
