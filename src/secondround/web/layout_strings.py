"""Strings of the shared templates (``templates/`` sits in no app) for colleagues who chose
German: the layout's navigation and the password-reset mail. Listed so that ``makemessages``
run in this app keeps their German in ``web/locale``. Nothing imports this module; it only
feeds the catalogue.
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

PASSWORD_RESET_MAIL = (
    _("Reset your secondround password"),
    _(
        "Hello %(name)s,\n\nSomeone asked to reset your secondround password. If it was you, "
        "choose a new one here:"
    ),
    _("If it was not you, ignore this email; your password stays as it is."),
)
