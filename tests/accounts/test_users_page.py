"""Admins invite colleagues, change their role and department, deactivate and reactivate them."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from secondround.accounts import services
from secondround.accounts.models import Role, User
from secondround.hiring.models import Position
from tests.conftest import Inbox, body_of, client_for
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-long-enough-passphrase-77"


def invitation_link(inbox: Inbox) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+)", body_of(inbox.messages[-1]))
    assert match is not None
    return match.group(1)


def invite(admin: User, email: str = "lea@kestrel.example") -> Client:
    client = client_for(admin)
    response = client.post(
        reverse("users"),
        {"email": email, "full_name": "Léa Roux", "role": Role.INTERVIEWER, "title": "Nurse"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_an_invitation_mails_a_link_that_sets_a_password_and_signs_in(
    smtp: Inbox,
    admin_user: User,
) -> None:
    invite(admin_user)
    invited = User.objects.get(email="lea@kestrel.example")
    assert not invited.has_usable_password()
    assert smtp.messages[0]["To"] == "lea@kestrel.example"
    link = invitation_link(smtp)
    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.context["user"] == invited  # signed in right away
    assert Client().login(email=invited.email, password=NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False  # the link works once


def test_an_invitation_link_expires(smtp: Inbox, admin_user: User) -> None:
    invite(admin_user)
    link = invitation_link(smtp)
    later = services.invitation_tokens._now() + timedelta(days=30)
    with mock.patch.object(services.invitation_tokens, "_now", return_value=later):
        assert Client().get(link, follow=True).context["validlink"] is False


def test_a_password_reset_token_does_not_open_an_invitation(
    smtp: Inbox,
    admin_user: User,
) -> None:
    from django.contrib.auth.tokens import default_token_generator

    invite(admin_user)
    invited = User.objects.get(email="lea@kestrel.example")
    link = invitation_link(smtp)
    forged = link.rsplit("/", 2)[0] + "/" + default_token_generator.make_token(invited) + "/"
    assert Client().get(forged, follow=True).context["validlink"] is False


def test_bad_invitations_name_the_field_and_save_nothing(admin_user: User) -> None:
    taken = UserFactory(role=Role.JOB_SEEKER, email="robin@seeker.example")
    client = client_for(admin_user)
    for data, field in (
        ({"email": "not-an-email", "full_name": "X", "role": "interviewer"}, "email"),
        ({"email": taken.email, "full_name": "X", "role": "interviewer"}, "email"),
        ({"email": "new@kestrel.example", "full_name": "X", "role": "job_seeker"}, "role"),
        ({"email": "new@kestrel.example", "full_name": "", "role": "interviewer"}, "full_name"),
    ):
        response = client.post(reverse("users"), data)
        assert response.status_code == 400  # refused: a 4xx, the form shown again
        assert field in response.context["form"].errors, (data, response.context["form"].errors)
    assert not User.objects.filter(email="new@kestrel.example").exists()


def test_only_admins_reach_the_users_page(manager: User, admin_user: User) -> None:
    colleague = UserFactory()
    for url in (
        reverse("users"),
        reverse("user-edit", args=[colleague.pk]),
    ):
        assert client_for(manager).get(url).status_code == 403
    for action in ("user-deactivate", "user-reactivate", "user-reinvite"):
        assert client_for(manager).post(reverse(action, args=[colleague.pk])).status_code == 403
    assert User.objects.get(pk=colleague.pk).is_active
    anonymous = Client().get(reverse("users"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    with pytest.raises(PermissionDenied):
        services.set_colleague_active(actor=manager, user=colleague, active=False)
    assert client_for(admin_user).get(reverse("users")).status_code == 200


def test_the_users_page_lists_colleagues_not_job_seekers(admin_user: User) -> None:
    seeker = UserFactory(role=Role.JOB_SEEKER)
    colleague = UserFactory()
    body = client_for(admin_user).get(reverse("users")).content.decode()
    assert colleague.email in body and seeker.email not in body
    assert client_for(admin_user).get(reverse("user-edit", args=[seeker.pk])).status_code == 404


def test_changing_role_and_department(admin_user: User) -> None:
    colleague = UserFactory(role=Role.INTERVIEWER)
    finance = DepartmentFactory(name="Finance")
    response = client_for(admin_user).post(
        reverse("user-edit", args=[colleague.pk]),
        {"full_name": "Noah Fischer", "role": Role.HIRING_MANAGER, "department": finance.pk},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == Role.HIRING_MANAGER and colleague.department == finance
    services.update_colleague(
        actor=admin_user, user=colleague, full_name="Noah Fischer", role=Role.ADMIN,
        department=finance,
    )  # fmt: skip
    colleague.refresh_from_db()
    assert colleague.is_org_admin and colleague.is_staff


def test_an_admin_cannot_lock_themselves_out(admin_user: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.update_colleague(
            actor=admin_user, user=admin_user, full_name="A", role=Role.INTERVIEWER, department=None
        )
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.set_colleague_active(actor=admin_user, user=admin_user, active=False)
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.role == Role.ADMIN


def test_deactivating_ends_access_and_reactivating_restores_it(
    admin_user: User, position: Position
) -> None:
    recruiter = position.recruiters.get()
    client = client_for(recruiter)
    assert client.get(reverse("position", args=[position.pk])).status_code == 200
    _key_owner, key = services.create_api_token(user=recruiter, name="script")
    admin = client_for(admin_user)
    assert admin.post(reverse("user-deactivate", args=[recruiter.pk])).status_code == 302
    recruiter.refresh_from_db()
    assert not recruiter.is_active
    assert client.get(reverse("position", args=[position.pk])).status_code == 302  # signed out
    assert not Client().login(email=recruiter.email, password="correct-horse-battery-staple")
    api = Client().get("/api/v1/positions", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 401
    assert admin.post(reverse("user-reactivate", args=[recruiter.pk])).status_code == 302
    assert Client().login(email=recruiter.email, password="correct-horse-battery-staple")
    assert client_for(recruiter).get(reverse("position", args=[position.pk])).status_code == 200


def test_a_deactivated_colleagues_invitation_opens_nothing(
    smtp: Inbox,
    admin_user: User,
) -> None:
    invite(admin_user)
    invited = User.objects.get(email="lea@kestrel.example")
    link = invitation_link(smtp)
    services.set_colleague_active(actor=admin_user, user=invited, active=False)
    assert Client().get(link, follow=True).context["validlink"] is False
