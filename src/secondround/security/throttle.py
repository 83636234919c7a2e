"""A small cache-based limit for anonymous forms that could be used to probe (per address, per IP).

Fixed windows in Django's cache: cheap, and good enough to stop listing accounts by the
thousand. With the default per-process memory cache, each server process counts on its own.
"""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest

HOUR = 3600

# scope -> (attempts allowed, window in seconds). A real job seeker needs one or two tries.
KEEP_ACCOUNT_LIMITS = {"address": (5, HOUR), "ip": (10, HOUR)}


def _over_limit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt under `key`; True once the window's attempts exceed `limit`."""
    digest = hashlib.sha256(key.encode()).hexdigest()  # no raw emails in the cache
    cache_key = f"throttle:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=window)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this is the window's first attempt
        cache.set(cache_key, 1, timeout=window)
        attempts = 1
    return attempts > limit


def keep_account_throttled(request: HttpRequest, email: str) -> bool:
    """Counts this "Keep your work" attempt against the email address and the caller's IP
    (as django-axes sees it, so proxy settings apply); True when either is over its limit."""
    address_limit, address_window = KEEP_ACCOUNT_LIMITS["address"]
    ip_limit, ip_window = KEEP_ACCOUNT_LIMITS["ip"]
    ip = get_client_ip_address(request) or "unknown"
    over_address = _over_limit("keep-address", email.strip().lower(), address_limit, address_window)
    over_ip = _over_limit("keep-ip", ip, ip_limit, ip_window)
    return over_address or over_ip
