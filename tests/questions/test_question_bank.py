from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.accounts.models import User
from secondround.questions import services
from secondround.questions.bank import sync_builtin_bank
from secondround.questions.models import Question, Scenario
from secondround.questions.selectors import scenarios_for, search_questions
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_builtin_bank_loads_once_and_idempotently() -> None:
    first = sync_builtin_bank()
    assert first >= 300
    assert sync_builtin_bank() == first
    assert Scenario.objects.filter(builtin=True).count() >= 12
    every = Question.objects.all()
    assert all(len(q.follow_ups) >= 2 and q.answer_1 and q.answer_3 and q.answer_5 for q in every)


def test_search_filters_by_kind_type_family_and_text() -> None:
    nurse_stress = search_questions(kind="stress", role_family="registered-nurse")
    assert nurse_stress.exists()
    assert all(q.kind == "stress" and q.suits("registered-nurse") for q in nurse_stress)
    clarifications = search_questions(type="clarification")
    assert {q.reason for q in clarifications} >= {"split", "concern", "not_assessed"}
    found = search_questions(text="tell me")
    assert found.exists()
    assert all("tell me" in (q.text + " ".join(q.follow_ups)).lower() for q in found)


def test_org_question_needs_two_probes_and_retiring_hides_it(manager: User) -> None:
    fields = {
        "text": "Walk me through your last on-call week.", "type": "behavioural",
        "kind": "stress", "role_families": [], "reason": "", "follow_ups": ["What broke?"],
        "answer_1": "a", "answer_3": "b", "answer_5": "c",
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.save_question(actor=manager, fields=fields)
    assert "follow_ups" in error.value.message_dict
    question = services.save_question(
        actor=manager, fields={**fields, "follow_ups": ["What broke?", "What did you change?"]}
    )
    assert search_questions(text="last on-call week").get() == question
    services.set_question_retired(actor=manager, question=question, retired=True)
    assert not search_questions(text="last on-call week").exists()
    assert search_questions(text="last on-call week", include_retired=True).exists()


def test_builtin_questions_cannot_be_edited(manager: User) -> None:
    sync_builtin_bank()
    builtin = Question.objects.filter(builtin=True).first()
    assert builtin is not None
    with pytest.raises(ValidationError):
        services.save_question(actor=manager, question=builtin, fields={"text": "changed"})
    builtin.refresh_from_db()
    assert builtin.text != "changed"


def test_interviewers_cannot_change_the_bank(outsider: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_question(actor=outsider, fields={})


def test_scenario_form_names_the_bad_rubric_line_and_retired_scenarios_leave_the_planner(
    manager: User,
) -> None:
    client = client_for(manager)
    data = {
        "title": "Triage a backlog", "role_family": "customer-support-specialist",
        "brief": "You have 40 tickets…", "materials": "Ticket export", "timebox_minutes": 30,
        "watch_for": "Asks about SLAs", "rubric": "Calm under pressure: keeps order\nno colon here",
    }  # fmt: skip
    response = client.post(reverse("scenario-new"), data)
    assert response.status_code == 400  # refused, the form shown again
    assert "Line 2" in str(response.context["form"].errors["rubric"])
    assert not Scenario.objects.filter(title="Triage a backlog").exists()
    response = client.post(
        reverse("scenario-new"), {**data, "rubric": "Calm under pressure: keeps order"}
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get(title="Triage a backlog")
    assert scenario in scenarios_for("customer-support-specialist")
    client.post(reverse("scenario-retire", args=[scenario.pk]), {"retired": "1"})
    assert scenario not in scenarios_for("customer-support-specialist")


def test_bank_page_filters_with_htmx(manager: User) -> None:
    client = client_for(manager)
    full = client.get(reverse("question-bank"))
    assert "<html" in full.content.decode()
    partial = client.get(
        reverse("question-bank"), {"kind": "values"}, headers={"HX-Request": "true"}
    )
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "Company values" in body and "Handling stress</span>" not in body


def test_job_seekers_never_see_scoring_guides_or_rubrics() -> None:
    from secondround.accounts.models import Role
    from tests.api.test_hiring import Api
    from tests.factories import UserFactory

    seeker = UserFactory(role=Role.JOB_SEEKER)
    client = client_for(seeker)
    for name in ("question-bank", "scenarios", "question-new", "scenario-new"):
        assert client.get(reverse(name)).status_code == 403, name
    api = Api(seeker)
    assert api.get("/questions").status_code == 403
    assert api.get("/scenarios").status_code == 403


def test_a_filter_value_the_bank_does_not_know_is_named_not_ignored(manager: User) -> None:
    client = client_for(manager)
    refused = client.get(reverse("question-bank"), {"kind": "sorcery", "type": "behavioural"})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert 'id="id_kind_error"' in body and "sorcery" in body
    # the filters that are valid still apply: only behavioural questions are listed
    shown = refused.context["questions"]
    assert shown and all(q.type == "behavioural" for q in shown)
