"""PDFs (kits, summaries, debrief packs) rendered by WeasyPrint, in one place."""

from __future__ import annotations

import logging
import threading

from django.http import HttpResponse

log = logging.getLogger(__name__)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # heavy: imported on first use (or by warm_up at start)

    return bytes(HTML(string=html, base_url=base_url).write_pdf())


def pdf_response(html: str, *, filename: str, base_url: str | None = None) -> HttpResponse:
    response = HttpResponse(render_pdf(html, base_url=base_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def warm_up_in_background() -> None:
    """Load WeasyPrint and its fonts once when a web process starts, off the request path.

    The first PDF in a fresh process otherwise pays 1.5–2 s of imports and font discovery.
    """

    def warm() -> None:
        try:
            render_pdf("<p>warm-up</p>")
        except Exception:  # a missing system library shows up on the first real PDF instead
            log.warning("PDF renderer warm-up failed", exc_info=True)

    threading.Thread(target=warm, name="pdf-warm-up", daemon=True).start()
