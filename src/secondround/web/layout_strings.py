"""The shared layout's navigation (templates/base.html sits in no app), for colleagues who
chose German. Listed so that ``makemessages`` run in this app keeps their German in
``web/locale``. Nothing imports this module; it only feeds the catalogue.
"""

from django.utils.translation import gettext_noop as _

NAVIGATION = (
    _("Home"),
    _("Positions"),
    _("Candidates"),
    _("My kits"),
    _("My interviews"),
    _("Availability"),
    _("Questions"),
    _("Messages"),
    _("Company"),
    _("Users"),
    _("Surveys"),
    _("Account"),
    _("API tokens"),
    _("Security"),
    _("Audit log"),
    _("Two-factor"),
    _("Log out %(name)s"),
)
