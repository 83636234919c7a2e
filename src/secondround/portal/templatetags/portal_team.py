"""The hiring team's view of what a candidate sent through the portal.

Inclusion tags, so the application page (web) and the interviewer's kit (loops) show it with
one line in their templates and no Python import of this higher layer.
"""

from __future__ import annotations

from typing import Any

from django import template

from secondround.accounts.models import User
from secondround.hiring.models import Application
from secondround.hiring.selectors import can_manage_position
from secondround.portal import selectors

register = template.Library()


def _user(context: template.Context) -> User | None:
    user = context.get("user")
    return user if isinstance(user, User) and user.is_active else None


@register.inclusion_tag("portal/team_section.html", takes_context=True)
def candidate_portal_for_team(
    context: template.Context, application: Application
) -> dict[str, Any]:
    """Questions in advance (route, answer in writing) and, for recruiters, adjustments."""
    user = _user(context)
    if user is None:
        return {"application": application, "questions": []}
    questions = list(selectors.shared_questions(application))
    return {
        "application": application,
        "questions": questions,
        "open_count": sum(1 for q in questions if not q.is_answered),
        "sessions": selectors.loop_sessions(application),
        "can_manage": can_manage_position(user, application.position),
        "adjustments": (
            selectors.adjustments(application)
            if selectors.can_see_adjustments(user, application)
            else None
        ),
        "csrf_token": context.get("csrf_token"),
        "request_path": getattr(context.get("request"), "path", ""),
    }


@register.inclusion_tag("portal/kit_questions.html", takes_context=True)
def kit_candidate_questions(
    context: template.Context, kit: Any, interactive: bool = False
) -> dict[str, Any]:
    """The candidate's questions routed to this kit's session, to answer in the conversation."""
    user = _user(context)
    may_mark = user is not None and (
        kit.seat.interviewer_id == user.pk or can_manage_position(user, kit.application.position)
    )
    return {
        "kit": kit,
        "questions": selectors.questions_for_seat(kit.application, kit.session),
        "may_mark": interactive and may_mark,
        "csrf_token": context.get("csrf_token"),
        "request_path": getattr(context.get("request"), "path", ""),
    }
