"""The language a colleague is written to and shown pages in.

A colleague may choose one of the languages the site speaks (``settings.LANGUAGES``); blank
means "the organisation's" (``settings.LANGUAGE_CODE``). Every mail to a colleague is
rendered inside ``speaking_to(person)``, never in whatever language the request that caused
it runs in (a German candidate's pick must not write German to an English interviewer).
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from secondround.accounts.models import User

ORGANISATION_DEFAULT = ""


def organisation_language() -> str:
    return settings.LANGUAGE_CODE


def language_of(user: User) -> str:
    """Their chosen language if the site still speaks it, else the organisation's."""
    spoken = dict(settings.LANGUAGES)
    return user.language if user.language in spoken else organisation_language()


def speaking_to(user: User) -> AbstractContextManager[None]:
    """Render what is inside in ``user``'s language (``with speaking_to(manager): ...``)."""
    return translation.override(language_of(user))


def language_choices() -> list[tuple[str, str]]:
    """The choices of a language field: the organisation's default first, stored as blank.

    Called when a form is made, so the default's label is in the reader's language."""
    organisation = dict(settings.LANGUAGES).get(organisation_language(), organisation_language())
    default = _("Organisation default (%s)") % organisation
    return [(ORGANISATION_DEFAULT, default), *settings.LANGUAGES]


def is_valid_language(value: str) -> bool:
    return value == ORGANISATION_DEFAULT or value in dict(settings.LANGUAGES)
