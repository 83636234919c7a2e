"""Small helpers every app's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404, HttpRequest

from secondround.accounts.models import Role, User
from secondround.revisions import FIELD as REVISION_FIELD
from secondround.revisions import STALE


def request_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def run_service[T](form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Run a service; its validation errors land on the form's fields, nothing is saved.

    A service names fields of its own (a scorecard's "status", a profile's "values") that a
    form may not have; those errors become form-wide errors instead of crashing the page.
    """
    try:
        return action()
    except ValidationError as error:
        add_service_error(form, error)
        return None


def form_status(*posted: forms.BaseForm | forms.BaseFormSet[Any]) -> int:
    """400 when a posted form was refused, so bad input is a 4xx to browsers and scripts alike."""
    return 400 if any(f.is_bound and not f.is_valid() for f in posted) else 200


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put each error on its field where the form shows one, and on the whole form otherwise.

    A hidden field has nowhere to show its error, so that error is form-wide too.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        target = field if shown else None
        for field_error in field_errors:
            form.add_error(target, field_error)


def kept_revision(request: HttpRequest, form: forms.BaseForm, current: str) -> str:
    """The revision an editing page carries on (see :mod:`secondround.revisions`).

    Opened afresh, or refused because someone saved in between: what is stored now, so
    saving again replaces theirs knowingly. Refused for anything else: what it was opened
    at, so a save made meanwhile by someone else is still caught.
    """
    if request.method != "POST" or form.has_error(NON_FIELD_ERRORS, code=STALE):
        return current
    return request.POST.get(REVISION_FIELD) or current


def visible_or_404[T](getter: Callable[[User, int], T], request: HttpRequest, pk: int) -> T:
    """Fetch through a permission-scoped selector; what the user may not see does not exist."""
    try:
        return getter(request_user(request), pk)
    except ObjectDoesNotExist as error:
        raise Http404 from error


def error_text(form: forms.BaseForm) -> str:
    """Every error of a form in one line, for a message after a redirect."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def refuse_job_seekers(user: User) -> None:
    """Interviewers' material (scoring guides, rubrics) is not for people preparing to be asked."""
    if user.role == Role.JOB_SEEKER:
        raise PermissionDenied(
            "Job seekers do not see the interviewers' question bank or scenarios; "
            "your practice kits are under My preparation."
        )
