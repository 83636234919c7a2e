"""The demo's calendar feed, bundled with the package.

Inês's connection in the demo points at an address under the reserved ``.example`` domain,
which never resolves; refreshing it reads this bundled file instead of the network, so the
demo shows real recurring busy times (expanded by the same code as any feed) offline.
"""

from __future__ import annotations

from pathlib import Path

DEMO_FEED_URL = "https://calendar.kestrel.example/feeds/ines-costa-5f2c9a.ics"
_FILE = Path(__file__).parent / "data" / "demo_ines.ics"


def bundled(url: str) -> bytes | None:
    """The bundled feed for the demo's address, None for every other address."""
    return _FILE.read_bytes() if url == DEMO_FEED_URL else None
