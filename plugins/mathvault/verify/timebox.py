"""Hard time limits for SymPy work.

SymPy cannot be interrupted cooperatively, so :func:`time_box` arms a real-time
interval timer (``signal.setitimer``) whose handler raises :class:`TimeUp`.
That only works in the main thread of a process; elsewhere the box is a no-op
and callers rely on the note-wide deadline checked between claims.  ``TimeUp``
derives from BaseException so SymPy's broad ``except Exception`` blocks cannot
swallow it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeUp(BaseException):
    """The time box expired."""


def can_interrupt() -> bool:
    """Whether :func:`time_box` can really stop a computation here."""
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


@contextmanager
def time_box(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeUp` inside the block once ``seconds`` have passed."""
    if seconds <= 0:
        raise TimeUp()
    if not can_interrupt():
        yield
        return

    def _fire(signum: int, frame: object) -> None:
        raise TimeUp()

    previous = signal.signal(signal.SIGALRM, _fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
