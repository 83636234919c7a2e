"""What happens elsewhere when an application closes, declared here and answered from above.

Closing a finalist (rejected, withdrawn, hired) must release the conversations still ahead
of them: a rejected candidate's page must not keep a live video link for next week, and the
panel must not turn up for it. The booked sessions live in apps above hiring (scheduling,
bookings), which hiring does not import; it declares the step it needs
(:class:`ClosingSteps`) and bookings answers it (`bookings/closing.py`, plugged in by its
``AppConfig.ready``), like `loops/booking_facts.py`. ``move_application`` calls it inside its
own transaction, so a close and its releases commit together or not at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from secondround.accounts.models import User
    from secondround.hiring.models import Application


class ClosingSteps(Protocol):
    def application_closed(self, *, actor: User, application: Application) -> None:
        """Release what the closed application still holds (booked sessions ahead, options)."""
        ...


class NothingToRelease:
    def application_closed(self, *, actor: User, application: Application) -> None:
        return None


_steps: ClosingSteps = NothingToRelease()


def provide(steps: ClosingSteps) -> None:
    """Plug in the bookings app's answer (called once, from its ``AppConfig.ready``)."""
    global _steps
    _steps = steps


def closing_steps() -> ClosingSteps:
    return _steps
