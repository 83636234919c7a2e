"""Private calendar feeds: the token in a person's feed URL, and the lookup by it.

The token is an HMAC of the feed's nonce with the site's secret key, so it can be shown to
its owner again without being stored; only its SHA-256 is stored for the lookup.
"""

from __future__ import annotations

import hashlib

from django.utils.crypto import salted_hmac

from secondround.bookings.models import CalendarFeed

SALT = "secondround.bookings.feed"
TOKEN_LENGTH = 40


def feed_token(feed: CalendarFeed) -> str:
    return salted_hmac(SALT, feed.nonce, algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a URL token opens; None when unknown, revoked or its owner deactivated."""
    if len(token) != TOKEN_LENGTH:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
