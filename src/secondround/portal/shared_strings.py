"""Strings of other apps that the portal shows the candidate.

Listed here so that ``makemessages`` run in this app keeps their German in
``portal/locale``: prep's question topics (the portal's topic choice) and the shared
layout's navigation. Nothing imports this module; it only feeds the catalogue.
"""

from django.utils.translation import gettext_noop as _

SHARED = (
    _("Success in the first 90 days"),
    _("The team"),
    _("Values in day-to-day work"),
    _("The role's challenges"),
    _("Career progression"),
    _("Professional development"),
    _("How the company supports new people"),
    _("Shaping direction"),
    _("What great looks like"),
    _("Next steps"),
    _("Skip to content"),
    _("Main"),
)
