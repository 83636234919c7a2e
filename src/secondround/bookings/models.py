"""What the candidate and the panel do with a scheduled loop: options to pick, declines, feeds.

The booked times themselves live in ``scheduling.ScheduledSession`` (and one
``hiring.Interview`` per seat person); this app sits above scheduling and never writes
those rows except through scheduling's services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application, Interview


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PICKED = "picked", _("Picked")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")
    # No longer bookable for a reason of the candidate's own: new times they gave leave the
    # options outside, or their loop has begun. A pick says so plainly (never "taken").
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OfferKind(models.TextChoices):
    FIRST = "first", _("First booking")
    RESCHEDULE = "reschedule", _("Reschedule")


class LoopOffer(models.Model):
    """Whole-loop options offered to one finalist, each a complete placement of their loop.

    ``options`` is a list of options; each option a list of placements
    ``{"session": id, "start": iso, "end": iso, "interviewers": [[seat, user], ...], "room": id}``
    — the engine's ``ScheduledSession`` fields, so a pick is booked exactly as offered.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="loop_offers"
    )
    options = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    status = models.CharField(max_length=12, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    kind = models.CharField(max_length=12, choices=OfferKind.choices, default=OfferKind.FIRST)
    picked_option = models.PositiveSmallIntegerField(null=True, blank=True)
    picked_at = models.DateTimeField(null=True, blank=True)
    notice = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Why these options were offered, shown to the candidate (e.g. taken times)."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("loop offer")
        verbose_name_plural = _("loop offers")

    def __str__(self) -> str:
        return f"{len(self.options)} options for {self.application}"

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OPEN and self.expires_at > timezone.now()


class DeclineResolution(models.TextChoices):
    OPEN = "open", _("Open")
    REPLACED = "replaced", _("Replaced by a colleague")
    MOVED = "moved", _("Moved to a new time")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decline(models.Model):
    """An interviewer cannot make a booked interview, with their reason."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="declines")
    reason = models.TextField(_("reason"))
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    resolution = models.CharField(
        max_length=12, choices=DeclineResolution.choices, default=DeclineResolution.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("decline")
        verbose_name_plural = _("declines")
        constraints = [
            models.UniqueConstraint(
                fields=["interview"],
                condition=models.Q(resolution="open"),
                name="one_open_decline_per_interview",
            ),
        ]

    def __str__(self) -> str:
        return f"Decline of {self.interview}"


class CalendarFeed(models.Model):
    """A person's private feed of their interviews, at a URL only they know.

    The URL's token is an HMAC of ``nonce`` with the site's secret key: the database alone
    (a backup, a dump) does not reveal it, yet the owner can be shown their URL again.
    Lookups go by ``token_hash``. Regenerating draws a new nonce; revoking ends the URL.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Interview feed of {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
