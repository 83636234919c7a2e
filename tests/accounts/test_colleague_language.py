"""A colleague's own language: chosen by them or an admin, blank follows the organisation's;
every mail to them is written in it (read back from a real SMTP server), and their pages too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from secondround.accounts import services
from secondround.accounts.models import Role, User
from secondround.hiring import services as hiring
from secondround.hiring.models import Application, Interview, Position, Stage
from secondround.hiring.tasks import notify_hiring_manager_of_finalist
from secondround.messaging.reminders import send_overdue_reminders
from secondround.scorecards.tasks import remind_interviewers
from tests.api.test_hiring import Api as ApiClient
from tests.conftest import Inbox, body_of, client_for
from tests.demo_cache import load_demo
from tests.factories import UserFactory, make_application, make_position
from tests.scorecards.test_scorecards_and_debrief import pending_seat

pytestmark = pytest.mark.django_db


class Api(ApiClient):
    def put(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.put(f"/api/v1{path}", data, content_type="application/json")


def to_second_round(position: Position, name: str) -> Application:
    application = make_application(position, name=name)
    for stage in (Stage.FIRST_ROUND, Stage.SECOND_ROUND):
        hiring.move_application(
            actor=position.hiring_manager, application=application, to_stage=stage
        )
    return application


def mails_to(inbox: Inbox, email: str) -> list[tuple[str, str]]:
    return [(str(m["Subject"]), body_of(m)) for m in inbox.messages if m["To"] == email]


# --- mails ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_a_german_manager_is_told_in_german_and_a_blank_one_in_the_organisations(
    smtp: Inbox,
) -> None:
    german = UserFactory(role=Role.HIRING_MANAGER, full_name="Greta Weber", language="de")
    blank = UserFactory(role=Role.HIRING_MANAGER, full_name="Bo Blank")
    to_second_round(make_position(german), "Robin Finalist")
    to_second_round(make_position(blank), "Sam Finalist")
    call_command("db_worker", batch=True, verbosity=0)
    [(subject, body)] = mails_to(smtp, german.email)
    assert subject.startswith("Robin Finalist ist in der zweiten Runde für")
    assert body.startswith("Hallo Greta,") and "Planen Sie" in body
    [(subject, body)] = mails_to(smtp, blank.email)
    assert subject.startswith("Sam Finalist is in the second round for")
    assert body.startswith("Hello Bo,")


def test_the_organisations_language_is_what_blank_follows(smtp: Inbox, settings: Settings) -> None:
    settings.LANGUAGE_CODE = "de"
    blank = UserFactory(role=Role.HIRING_MANAGER, full_name="Bo Blank")
    english = UserFactory(role=Role.HIRING_MANAGER, full_name="Eve English", language="en")
    for manager, name in ((blank, "Robin Finalist"), (english, "Sam Finalist")):
        application = to_second_round(make_position(manager), name)
        notify_hiring_manager_of_finalist.call(application.pk)
    assert "ist in der zweiten Runde" in mails_to(smtp, blank.email)[0][0]
    assert "is in the second round" in mails_to(smtp, english.email)[0][0]


def test_the_overdue_reminder_goes_to_each_reader_in_their_language(smtp: Inbox) -> None:
    manager = UserFactory(role=Role.HIRING_MANAGER, language="de")
    recruiter = UserFactory(role=Role.RECRUITER)
    application = to_second_round(make_position(manager, recruiters=[recruiter]), "Late Larry")
    Application.objects.filter(pk=application.pk).update(
        promised_decision_on=timezone.localdate() - timedelta(days=2)
    )
    smtp.messages.clear()  # the round-two notice is not ours
    assert send_overdue_reminders() == 1
    [(german, german_body)] = mails_to(smtp, manager.email)
    [(english, _body)] = mails_to(smtp, recruiter.email)
    assert german.startswith("Überfällig: Late Larry") and "vor 2 Tagen" in german_body
    assert english.startswith("Overdue: Late Larry")


def test_the_scorecard_reminder_is_in_the_interviewers_language(smtp: Inbox) -> None:
    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    seat = pending_seat(position)
    services.set_colleague_language(actor=seat.interviewer, user=seat.interviewer, language="de")
    Interview.objects.create(
        application=position.applications.get(candidate__full_name="Aisha Bello"),
        interviewer=seat.interviewer, title="Deep dive", round=2,
        starts_at=timezone.now() - timedelta(hours=6), duration_minutes=60,
    )  # fmt: skip
    smtp.messages.clear()
    assert remind_interviewers.call() == 1
    [(subject, body)] = mails_to(smtp, seat.interviewer.email)
    assert subject == "Ihr Bewertungsbogen für Aisha Bello"
    assert "solange die Eindrücke frisch sind" in body


def test_an_invitation_is_written_in_the_language_the_admin_chose(
    smtp: Inbox, admin_user: User
) -> None:
    response = client_for(admin_user).post(
        reverse("users"),
        {"email": "lea@kestrel.example", "full_name": "Léa Roux", "role": Role.INTERVIEWER,
         "language": "de"},
    )  # fmt: skip
    assert response.status_code == 302
    assert User.objects.get(email="lea@kestrel.example").language == "de"
    [(subject, body)] = mails_to(smtp, "lea@kestrel.example")
    assert subject == "Sie sind zu secondround eingeladen"
    assert "Legen Sie hier Ihr Passwort fest" in body


# --- choosing it, and bad values ----------------------------------------------------------------


def test_the_account_page_saves_a_choice_and_blank_returns_to_the_organisations(
    panel_interviewer: User,
) -> None:
    client = client_for(panel_interviewer)
    page = client.get(reverse("account")).content.decode()
    assert "Organisation default (English)" in page
    saved = client.post(reverse("account"), {"language": "de"}, follow=True)
    panel_interviewer.refresh_from_db()
    assert panel_interviewer.language == "de"
    assert "Gespeichert" in saved.content.decode()
    client.post(reverse("account"), {"language": ""})
    panel_interviewer.refresh_from_db()
    assert panel_interviewer.language == ""


def test_a_bad_language_is_refused_naming_the_field_and_nothing_changes(
    panel_interviewer: User, admin_user: User
) -> None:
    panel_interviewer.language = "de"
    panel_interviewer.save()
    page = client_for(panel_interviewer).post(reverse("account"), {"language": "xx"})
    assert page.status_code == 400
    assert page.context["form"].errors["language"]
    edit = client_for(admin_user).post(
        reverse("user-edit", args=[panel_interviewer.pk]),
        {"full_name": "P", "role": Role.INTERVIEWER, "language": "klingon"},
    )
    assert edit.status_code == 400 and edit.context["form"].errors["language"]
    with pytest.raises(ValidationError) as refused:
        services.set_colleague_language(
            actor=panel_interviewer, user=panel_interviewer, language="fr"
        )
    assert list(refused.value.message_dict) == ["language"]
    panel_interviewer.refresh_from_db()
    assert panel_interviewer.language == "de"


def test_only_an_admin_sets_someone_elses_language(
    panel_interviewer: User, outsider: User, admin_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.set_colleague_language(actor=outsider, user=panel_interviewer, language="de")
    services.set_colleague_language(actor=admin_user, user=panel_interviewer, language="de")
    panel_interviewer.refresh_from_db()
    assert panel_interviewer.language == "de"


def test_the_api_reads_and_sets_it_and_refuses_bad_values_by_field(
    panel_interviewer: User, outsider: User, admin_user: User
) -> None:
    mine = Api(panel_interviewer)
    me = mine.get("/me")
    assert me.status_code == 200
    assert (me.json()["language"], me.json()["effective_language"]) == ("", "en")
    assert mine.put("/me/language", {"language": "de"}).json()["effective_language"] == "de"
    for bad in ({"language": "xx"}, {"language": "d" * 9}, {"lang": "de"}):
        refused = mine.put("/me/language", bad)
        assert refused.status_code == 422, bad
        named = [problem["loc"] for problem in refused.json()["detail"]]
        assert ["body", next(iter(bad))] in named, named
    path = f"/users/{panel_interviewer.pk}/language"
    assert Api(outsider).put(path, {"language": "en"}).status_code == 403
    assert Api(admin_user).put(path, {"language": ""}).json()["language"] == ""
    panel_interviewer.refresh_from_db()
    assert panel_interviewer.language == ""


# --- the staff pages ----------------------------------------------------------------------------


def test_a_colleagues_pages_follow_their_language_not_the_browsers(
    panel_interviewer: User,
) -> None:
    german_browser = {"HTTP_ACCEPT_LANGUAGE": "de"}
    blank = client_for(panel_interviewer).get(reverse("account"), **german_browser)
    assert '<html lang="en">' in blank.content.decode()  # blank: the organisation's
    panel_interviewer.language = "de"
    panel_interviewer.save()
    page = client_for(panel_interviewer).get(reverse("account"))
    assert page["Content-Language"] == "de"
    assert '<html lang="de">' in page.content.decode() and "Ihr Konto" in page.content.decode()
    signed_out = Client().get(reverse("login"), **german_browser)
    assert signed_out["Content-Language"] == "de"  # the browser still chooses before sign-in


def test_the_password_reset_mail_is_in_the_colleagues_language(
    smtp: Inbox, panel_interviewer: User, outsider: User
) -> None:
    panel_interviewer.language = "de"
    panel_interviewer.save()
    for person in (panel_interviewer, outsider):
        Client().post(reverse("password_reset"), {"email": person.email})
    [(subject, body)] = mails_to(smtp, panel_interviewer.email)
    assert subject == "Ihr secondround-Passwort zurücksetzen"
    assert "Wenn Sie es waren, wählen Sie hier ein neues" in body
    [(subject, _body)] = mails_to(smtp, outsider.email)
    assert subject == "Reset your secondround password"
