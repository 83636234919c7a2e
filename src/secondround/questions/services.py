"""Organisations add, edit and retire their own questions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secondround.accounts.models import Role, User
from secondround.questions.models import Question, Scenario

EDITABLE = (
    "text", "type", "kind", "role_families", "reason", "follow_ups",
    "answer_1", "answer_3", "answer_5",
)  # fmt: skip


def _require_editor(actor: User) -> None:
    if not (actor.is_org_admin or actor.role in (Role.HIRING_MANAGER, Role.RECRUITER)):
        raise PermissionDenied(_("Only admins, hiring managers and recruiters edit the bank."))


@transaction.atomic
def save_question(
    *, actor: User, fields: Mapping[str, Any], question: Question | None = None
) -> Question:
    _require_editor(actor)
    if question is not None and question.builtin:
        raise ValidationError({"text": _("Built-in questions cannot be edited; copy it instead.")})
    question = question or Question(created_by=actor)
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValidationError({name: _("This field cannot be set here.")})
        setattr(question, name, value)
    if len([f for f in question.follow_ups if str(f).strip()]) < 2:
        raise ValidationError({"follow_ups": _("Give at least two follow-up probes.")})
    if question.type == "clarification" and not question.reason:
        raise ValidationError({"reason": _("Say which round-one gap this clarifies.")})
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def set_question_retired(*, actor: User, question: Question, retired: bool) -> Question:
    _require_editor(actor)
    question.retired = retired
    question.save(update_fields=["retired"])
    return question


@transaction.atomic
def save_scenario(
    *, actor: User, fields: Mapping[str, Any], scenario: Scenario | None = None
) -> Scenario:
    """Add or change an organisation's own scenario; built-in ones can be retired, not edited."""
    _require_editor(actor)
    if scenario is not None and scenario.builtin:
        raise ValidationError(
            {"title": _("Built-in scenarios cannot be edited; retire it instead.")}
        )
    scenario = scenario or Scenario()
    for name in (
        "title",
        "role_family",
        "brief",
        "materials",
        "timebox_minutes",
        "watch_for",
        "rubric",
    ):
        setattr(scenario, name, fields[name])
    if not scenario.rubric:
        raise ValidationError({"rubric": _("Tie the scenario to at least one competency.")})
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
def set_scenario_retired(*, actor: User, scenario: Scenario, retired: bool) -> Scenario:
    _require_editor(actor)
    scenario.retired = retired
    scenario.save(update_fields=["retired"])
    return scenario
