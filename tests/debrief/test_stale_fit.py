"""The debrief survives a fit made before an application was deleted (until the next refit)."""

from __future__ import annotations

import pytest

from secondround.accounts.models import User
from secondround.debrief import calibration
from secondround.hiring.models import Application, Position
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


def test_a_deleted_finalist_in_the_cached_fit_is_not_a_server_error() -> None:
    load_demo()  # the demo fits the calibration once
    position = Position.objects.get(title="Senior software engineer")
    fitted = calibration.current()
    assert fitted is not None
    leader = fitted[1].group(str(position.pk)).candidates[0]  # everyone else is compared with them
    gone = Application.objects.get(pk=int(leader.candidate))
    name = gone.candidate.full_name
    gone.delete()
    hana = client_for(User.objects.get(email="hana@kestrel.example"))
    page = hana.get(f"/positions/{position.pk}/debrief/")
    assert page.status_code == 200 and name not in page.content.decode()
    assert hana.get(f"/api/v1/positions/{position.pk}/debrief").status_code == 200
