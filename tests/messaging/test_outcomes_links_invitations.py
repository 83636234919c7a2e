"""Trial findings on messages (staff #2, #10, #11, #13; candidate #3): no outcome chosen for
you and none contradicting the last without a correction; only the candidate's own link in a
mail; links on the host the sender uses; a new invitation replaces the old link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from secondround.hiring.models import Application, Position
from secondround.messaging.models import Message, MessageKind
from secondround.messaging.services import (
    queue_message,
    send_invitation,
    send_next_steps,
    send_outcome,
    set_promised_decision_date,
)
from secondround.prep.models import InviteLink
from secondround.prep.services import create_invite_link, revoke_invite_link
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import make_finalist, record_hire

pytestmark = pytest.mark.django_db

NOT_THIS_TIME = MessageKind.OUTCOME_NOT_THIS_TIME
OFFER = MessageKind.OUTCOME_OFFER
ANOTHER = MessageKind.OUTCOME_ANOTHER_CONVERSATION


@pytest.fixture
def finalist(position: Position) -> Application:
    return make_finalist(position)


def link_in(message: Message) -> str:
    return next(word for word in message.body_text.split() if "/prep/i/" in word)


# --- 2: outcomes --------------------------------------------------------------------------


def test_a_different_outcome_after_a_final_one_needs_a_correction_reason(
    finalist: Application,
) -> None:
    manager = finalist.position.hiring_manager
    send_outcome(actor=manager, application=finalist, outcome=NOT_THIS_TIME)
    record_hire(finalist)  # the team changed its mind: an offer now needs a correction
    with pytest.raises(ValidationError) as refused:
        send_outcome(actor=manager, application=finalist, outcome=OFFER, next_step="Offer call")
    assert "Outcome: not this time" in refused.value.message_dict["correction_reason"][0]
    assert list(Message.objects.values_list("kind", flat=True)) == [NOT_THIS_TIME]
    corrected = send_outcome(
        actor=manager, application=finalist, outcome=OFFER, next_step="Offer call",
        correction_reason="  Sent to the wrong finalist.  ",
    )  # fmt: skip
    assert Message.objects.get(pk=corrected.pk).correction_reason == "Sent to the wrong finalist."


def test_another_conversation_first_and_the_same_outcome_again_need_no_correction(
    finalist: Application,
) -> None:
    manager = finalist.position.hiring_manager
    send_outcome(actor=manager, application=finalist, outcome=ANOTHER, next_step="A chat")
    record_hire(finalist)
    send_outcome(actor=manager, application=finalist, outcome=OFFER, next_step="Offer call")
    again = send_outcome(actor=manager, application=finalist, outcome=OFFER, next_step="Call")
    assert again.correction_reason == ""
    with pytest.raises(ValidationError) as refused:
        send_outcome(actor=manager, application=finalist, outcome=ANOTHER, next_step="A chat")
    assert "outcome" in refused.value.message_dict  # the recorded decision still says hire
    record_hire(finalist, decision="another_conversation")
    with pytest.raises(ValidationError) as refused:
        send_outcome(actor=manager, application=finalist, outcome=ANOTHER, next_step="A chat")
    assert "correction_reason" in refused.value.message_dict  # they were told of an offer


def test_the_page_chooses_no_outcome_and_says_which_one_was_sent(finalist: Application) -> None:
    client = client_for(finalist.position.hiring_manager)
    page_url = reverse("application", args=[finalist.pk])
    page = client.get(page_url).content.decode()
    select = re.search(r'<select name="outcome".*?</select>', page, re.S)
    assert select is not None
    first_option = re.search(r"<option[^>]*>", select.group(0))
    assert first_option is not None and 'value=""' in first_option.group(0)
    assert "required" in select.group(0)
    assert 'name="correction_reason"' not in page  # nothing to correct yet
    outcome_url = reverse("message-outcome", args=[finalist.pk])
    hasty = client.post(outcome_url, {"next_step": "x"}, follow=True).content.decode()
    assert "This field is required" in hasty and not Message.objects.exists()
    client.post(outcome_url, {"outcome": NOT_THIS_TIME})
    record_hire(finalist)
    page = client.get(page_url).content.decode()
    assert "Last outcome sent: <strong>Outcome: not this time</strong>" in page
    assert 'name="correction_reason"' in page
    refused = client.post(
        outcome_url, {"outcome": OFFER, "next_step": "Offer call"}, follow=True
    ).content.decode()
    assert "only as a correction" in refused and Message.objects.count() == 1
    client.post(
        outcome_url,
        {"outcome": OFFER, "next_step": "Offer call", "correction_reason": "Wrong finalist."},
    )
    page = client.get(page_url).content.decode()
    assert "Last outcome sent: <strong>Outcome: offer</strong>" in page
    assert "Wrong finalist." in page


def test_the_api_refuses_a_contradicting_outcome_by_field(finalist: Application) -> None:
    api = Api(finalist.position.hiring_manager)
    path = f"/applications/{finalist.pk}/outcome"
    assert api.post(path, {"outcome": NOT_THIS_TIME}).status_code == 200
    record_hire(finalist)
    refused = api.post(path, {"outcome": OFFER, "next_step": "Offer call"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "correction_reason"]
    corrected = api.post(
        path, {"outcome": OFFER, "next_step": "Offer call", "correction_reason": "Mixed up."}
    )
    assert corrected.status_code == 200 and corrected.json()["correction_reason"] == "Mixed up."


# --- 3: the API's portal_link ----------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "https://evil.example/login",
        "http://testserver.evil.example/prep/i/{token}/",
        "http://evil.example@testserver/nowhere/",
        "ftp://testserver/prep/i/{token}/",
        "http://testserver/prep/i/prep_not-a-real-token/",
        "http://testserver/prep/i/{rival}/",
    ],
)
def test_the_api_refuses_any_link_but_the_candidates_own_page(
    finalist: Application, link: str
) -> None:
    manager = finalist.position.hiring_manager
    token = create_invite_link(actor=manager, application=finalist)[1]
    rival = make_finalist(finalist.position, name="Ada Rival")
    rival_token = create_invite_link(actor=manager, application=rival)[1]
    response = Api(manager).post(
        f"/applications/{finalist.pk}/outcome",
        {"outcome": NOT_THIS_TIME, "portal_link": link.format(token=token, rival=rival_token)},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "portal_link"]
    assert not Message.objects.exists()


def test_the_api_accepts_the_candidates_own_live_link_or_makes_one(finalist: Application) -> None:
    manager = finalist.position.hiring_manager
    token = create_invite_link(actor=manager, application=finalist)[1]
    own = f"http://testserver/prep/i/{token}/"
    api = Api(manager)
    path = f"/applications/{finalist.pk}/outcome"
    sent = api.post(path, {"outcome": NOT_THIS_TIME, "portal_link": own})
    assert sent.status_code == 200 and own in sent.json()["body_text"]
    made = api.post(path, {"outcome": NOT_THIS_TIME}).json()["body_text"]
    assert "http://testserver/prep/i/prep_" in made and own not in made


# --- 4: the host in links --------------------------------------------------------------------


def test_links_made_from_a_page_use_that_pages_host(
    finalist: Application, settings: Settings
) -> None:
    settings.SECONDROUND_BASE_URL = "http://localhost:8000"
    settings.ALLOWED_HOSTS = ["jobs.example.org"]
    client = client_for(finalist.position.hiring_manager)
    client.post(reverse("message-invitation", args=[finalist.pk]), HTTP_HOST="jobs.example.org")
    client.post(
        reverse("message-outcome", args=[finalist.pk]),
        {"outcome": NOT_THIS_TIME}, HTTP_HOST="jobs.example.org",
    )  # fmt: skip
    links = [link_in(m) for m in Message.objects.all()]
    assert len(links) == 2
    assert all(link.startswith("http://jobs.example.org/prep/i/") for link in links), links


def test_links_made_without_a_request_use_the_configured_base_url(
    finalist: Application, settings: Settings
) -> None:
    settings.SECONDROUND_BASE_URL = "https://jobs.example.org"
    message = queue_message(
        kind=MessageKind.NEXT_STEPS, candidate=finalist.candidate, application=finalist,
        actor=finalist.position.hiring_manager,
    )  # fmt: skip
    assert link_in(message).startswith("https://jobs.example.org/prep/i/")


# --- 5: inviting again -------------------------------------------------------------------------


def test_a_new_invitation_replaces_the_earlier_live_links(finalist: Application) -> None:
    manager = finalist.position.hiring_manager
    first = send_invitation(actor=manager, application=finalist)
    assert first.replaced_links == 0
    create_invite_link(actor=manager, application=finalist)  # one made by hand on the links page
    second = send_invitation(actor=manager, application=finalist)
    assert second.replaced_links == 2
    live = [link for link in InviteLink.objects.filter(application=finalist) if link.is_active]
    assert len(live) == 1
    old_path = link_in(first.message).split("localhost:8000", 1)[1]
    new_path = link_in(second.message).split("localhost:8000", 1)[1]
    assert "Your second round" not in Client().get(old_path, follow=True).content.decode()
    assert "Your second round" in Client().get(new_path, follow=True).content.decode()


def test_the_page_says_the_new_invitation_replaced_the_old_link(finalist: Application) -> None:
    client = client_for(finalist.position.hiring_manager)
    url = reverse("message-invitation", args=[finalist.pk])
    assert (
        'id="invited-already"'
        not in client.get(reverse("application", args=[finalist.pk])).content.decode()
    )
    first = client.post(url, follow=True).content.decode()
    assert "Invitation queued" in first and "It replaces" not in first
    assert 'id="invited-already"' in first  # the button now warns before a second click
    again = client.post(url, follow=True).content.decode()
    assert "It replaces the earlier link, which no longer works." in again
    assert Message.objects.filter(kind=MessageKind.INVITATION).count() == 2
    assert sum(link.is_active for link in InviteLink.objects.filter(application=finalist)) == 1


# --- one live link: outcomes and next steps follow the invitations' rule ---------------------


def live_links(application: Application) -> int:
    return sum(link.is_active for link in InviteLink.objects.filter(application=application))


def path_of(message: Message) -> str:
    return link_in(message).split("localhost:8000", 1)[1]


def test_outcome_and_next_steps_replace_the_live_link_and_an_older_mail_says_so(
    finalist: Application,
) -> None:
    manager = finalist.position.hiring_manager
    invited = send_invitation(actor=manager, application=finalist).message
    outcome = send_outcome(
        actor=manager, application=finalist, outcome=ANOTHER, next_step="A call with Hana."
    )
    assert live_links(finalist) == 1
    set_promised_decision_date(
        actor=manager, application=finalist, on=timezone.localdate() + timedelta(days=3)
    )
    next_steps = send_next_steps(actor=manager, application=finalist)
    assert live_links(finalist) == 1  # one way in, not one more per message
    newest = Client().get(path_of(next_steps), follow=True)
    assert "Your second round" in newest.content.decode()
    for older in (invited, outcome):
        refused = Client().get(path_of(older))
        assert refused.status_code == 410
        page = refused.content.decode()
        assert "This link was replaced by a newer one, which we emailed you on" in page
        assert "mailto:" in page  # lost the newest mail: whom to ask


def test_an_outcome_given_the_candidates_live_link_reuses_it(finalist: Application) -> None:
    manager = finalist.position.hiring_manager
    token = create_invite_link(actor=manager, application=finalist)[1]
    own = f"http://localhost:8000/prep/i/{token}/"
    sent = send_outcome(
        actor=manager, application=finalist, outcome=ANOTHER, next_step="A call.", portal_link=own
    )
    assert own in sent.body_text and live_links(finalist) == 1
    assert Client().get(f"/prep/i/{token}/").status_code == 302  # still opens


def test_a_link_switched_off_by_hand_is_not_called_replaced(finalist: Application) -> None:
    manager = finalist.position.hiring_manager
    link, token = create_invite_link(actor=manager, application=finalist)
    revoke_invite_link(actor=manager, link=link)
    page = Client().get(f"/prep/i/{token}/")
    assert page.status_code == 410
    assert "switched it off" in page.content.decode()
    assert "replaced" not in page.content.decode()
