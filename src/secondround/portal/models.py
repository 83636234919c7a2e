"""What the candidate tells the hiring team through the portal, besides their questions."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application


class Need(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free access to the building and rooms")
    EXTRA_TIME = "extra_time", _("Extra time for exercises")
    BREAKS = "breaks", _("Longer breaks between conversations")
    CAPTIONS = "captions", _("Captions or a transcript on video calls")
    INTERPRETER = "interpreter", _("A sign language interpreter")
    SCREEN_READER = "screen_reader", _("Material that works with a screen reader")
    QUIET_ROOM = "quiet_room", _("A quiet room to wait in")
    CAMERA_OFF = "camera_off", _("Keeping my camera off at times")


class AdjustmentRequest(models.Model):
    """The candidate's request for adjustments. Seen by the position's recruiters and admins only."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="adjustment_request"
    )
    needs = models.JSONField(_("what would help"), default=list, blank=True)
    details = models.TextField(_("anything else we should know"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request for adjustments")
        verbose_name_plural = _("requests for adjustments")

    def __str__(self) -> str:
        return f"Adjustments for {self.application}"

    @property
    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels[n]) for n in self.needs if n in labels]
