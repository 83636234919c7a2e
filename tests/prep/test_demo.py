"""The candidate's side of the demo: the finalist's fixed link and the job seeker's kit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondround import demo
from secondround.accounts.models import Role, User
from secondround.demo import DEMO_PASSWORD
from secondround.prep import demo as prep_demo
from secondround.prep.models import InviteLink, PrepKit

pytestmark = pytest.mark.django_db


def test_demo_link_and_job_seeker_kit(capsys: pytest.CaptureFixture[str]) -> None:
    demo.load()
    prep_demo.load_demo(password=DEMO_PASSWORD)
    prep_demo.load_demo(password=DEMO_PASSWORD)  # a second call adds nothing
    assert capsys.readouterr().out == ""
    assert InviteLink.objects.filter(application__candidate__full_name="Aisha Bello").count() == 1
    # She used her page in the demo's story: one open, counted once however often load runs.
    aisha_link = InviteLink.objects.get(application__candidate__full_name="Aisha Bello")
    assert aisha_link.times_opened == 1 and aisha_link.last_opened_at is not None

    response = Client().get(
        reverse("prep-invitation", args=[prep_demo.DEMO_LINK_TOKEN]), follow=True
    )
    assert response.status_code == 200
    assert "Senior software engineer" in response.content.decode()
    aisha_link.refresh_from_db()
    assert aisha_link.times_opened == 1  # following the link (no script run) counts nothing

    seeker = User.objects.get(email=prep_demo.DEMO_JOB_SEEKER[0])
    assert seeker.role == Role.JOB_SEEKER
    kit = PrepKit.objects.get(owner=seeker)
    assert kit.stories.count() == 1 and kit.my_questions.count() == 3 and kit.attempts.count() == 1
    client = Client()
    assert client.login(email=seeker.email, password=demo.DEMO_PASSWORD)
    assert client.get(reverse("prep-practice", args=[kit.public_id])).status_code == 200
