"""Who may open a kit, and which private link is good for what (see `private_link_access`).

Who sees a kit:
- a posting kit: its owner (a signed-in user), or whoever holds its secret key in their
  browser session (a job seeker without an account);
- an invitation kit: whoever opened a still-active invitation link for its application (the
  link is checked again on every request, so revoking or expiry takes effect at once).
Anyone else gets 404. The hiring team manages links for positions they manage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from secondround.accounts.models import User
from secondround.calendars.invitations import Contact
from secondround.hiring.models import Application, Stage
from secondround.hiring.selectors import require_manager
from secondround.prep.models import (
    InviteLink,
    KitSource,
    PrepKit,
)

# Applications whose candidate may still prepare and schedule (the name is kept for other apps).
LINK_STAGES = Stage.past_round_one()
# The outcome is known: what the candidate is told afterwards (portal, letter, survey) stays
# readable until the link itself expires.
OUTCOME_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)


class LinkPart(StrEnum):
    """What a candidate's private link can open."""

    KIT = "kit"  # the preparation kit: stories, questions to ask, practice
    PORTAL = "portal"  # their interview page: itinerary, who they meet, outcome
    SCHEDULE = "schedule"  # picking times for the loop
    LETTER = "letter"  # the approved feedback letter
    SURVEY = "survey"  # the candidate experience survey


# Which parts the link opens in each state of the application. Nothing opens before round
# two (no link is made then); preparing and scheduling end with the outcome; what comes after
# the outcome (the page with the decision, the letter, the survey) stays open.
OPEN_PARTS: dict[str, frozenset[LinkPart]] = {
    **{stage: frozenset(LinkPart) for stage in LINK_STAGES},
    **{
        stage: frozenset({LinkPart.PORTAL, LinkPart.LETTER, LinkPart.SURVEY})
        for stage in OUTCOME_STAGES
    },
}


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LinkRefused(Exception):
    """An invitation link that exists but may not be used (expired, revoked, closed)."""

    def __init__(self, reason: str, application: Application | None = None) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired", "revoked" or "closed"
        self.application = application  # whose recruiter the refusal page names


@dataclass(frozen=True)
class LinkAccess:
    """What one private link may open now."""

    link: InviteLink
    dead: str | None  # "revoked" or "expired": the link opens nothing at all
    parts: frozenset[LinkPart]

    def refusal(self, part: LinkPart) -> str | None:
        """Why the link may not open this part now ("revoked", "expired", "closed"), or None."""
        if self.dead:
            return self.dead
        return None if part in self.parts else "closed"


def private_link_access(link: InviteLink) -> LinkAccess:
    """The one rule for a private link's life: revoked or expired links open nothing; a live
    link opens the parts its application's stage allows (``OPEN_PARTS``)."""
    dead = (
        "revoked"
        if link.revoked_at is not None
        else "expired"
        if link.expires_at <= timezone.now()
        else None
    )
    return LinkAccess(
        link=link, dead=dead, parts=OPEN_PARTS.get(link.application.stage, frozenset())
    )


def link_refusal(link: InviteLink, part: LinkPart = LinkPart.KIT) -> str | None:
    """Why a link may not open ``part`` now, or None when it may."""
    return private_link_access(link).refusal(part)


def replaced_on(link: InviteLink) -> datetime | None:
    """When the newer link that replaced this revoked one was made (and mailed), or None.

    A message carrying a fresh link revokes the candidate's earlier ones (messaging's
    ``replace_portal_link``): a link revoked when a newer one still live was made is an older
    mail's link, and its page sends the candidate to the newest mail. A link switched off by
    hand with no newer one live stays plainly "no longer active".
    """
    if link.revoked_at is None:
        return None
    return (
        InviteLink.objects.filter(
            application_id=link.application_id,
            created_at__gte=link.revoked_at,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def link_contact(application: Application) -> Contact | None:
    """Whom the candidate asks for a new link: the position's first recruiter, else the
    hiring manager."""
    position = application.position
    person = position.recruiters.order_by("pk").first() or position.hiring_manager
    return Contact(email=person.email, name=person.full_name) if person else None


def link_for_token(token: str) -> InviteLink:
    """The link a token opens; InviteLink.DoesNotExist for an unknown token."""
    # The department too: every candidate page names the position's department.
    return InviteLink.objects.select_related(
        "application__position__department", "application__candidate"
    ).get(token_hash=token_hash(token))


# --- access -----------------------------------------------------------------------------------

Grants = Mapping[str, Mapping[str, Any]]  # {kit public id: {"key": secret} or {"link": pk}}


def kit_for(*, user: User | None, grants: Grants, public_id: str) -> PrepKit:
    """The kit, if this person may open it.

    Raises PrepKit.DoesNotExist when they may not (or it does not exist), and LinkRefused
    when the invitation link that gave access has since expired or been revoked.
    """
    kit = PrepKit.objects.select_related("application__position__department", "owner").get(
        public_id=public_id
    )
    if user is not None and kit.owner_id is not None and kit.owner_id == user.pk:
        return kit
    grant = grants.get(str(kit.public_id)) or {}
    if kit.source == KitSource.POSTING:
        key = grant.get("key")
        if isinstance(key, str) and kit.access_hash and token_hash(key) == kit.access_hash:
            return kit
        raise PrepKit.DoesNotExist
    link_pk = grant.get("link")
    link = (
        InviteLink.objects.select_related("application")
        .filter(pk=link_pk, application_id=kit.application_id)
        .first()
        if isinstance(link_pk, int) and kit.application_id is not None
        else None
    )
    if link is None:
        raise PrepKit.DoesNotExist
    reason = link_refusal(link, LinkPart.KIT)
    if reason:
        raise LinkRefused(reason, link.application)
    return kit


def my_kits(*, user: User | None, grants: Grants) -> list[PrepKit]:
    """Kits this person can open now: their own, and those held in their session."""
    kits: dict[int, PrepKit] = {}
    if user is not None:
        for kit in PrepKit.objects.filter(owner=user).select_related("application__position"):
            kits[kit.pk] = kit
    for public_id in grants:
        try:
            kit = kit_for(user=user, grants=grants, public_id=public_id)
        except (PrepKit.DoesNotExist, LinkRefused, ValueError):
            continue
        kits[kit.pk] = kit
    return sorted(kits.values(), key=lambda k: k.created_at, reverse=True)


def links_for(user: User, application: Application) -> QuerySet[InviteLink]:
    """An application's links, for its hiring team only (PermissionDenied otherwise)."""
    require_manager(user, application.position)
    return application.prep_links.select_related("created_by", "revoked_by")
