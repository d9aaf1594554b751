"""Hard time limits for SymPy work.

SymPy cannot be interrupted cooperatively, so :func:`time_box` arms an interval timer
(``signal.setitimer``) whose handler raises :class:`TimeUp`.  The timer counts the
process's own CPU time (``ITIMER_PROF``), not the wall clock: a verdict must not depend
on how busy the machine is (on a loaded CI runner a wall-clock box turned a refutation
into "time limit reached").
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

# Functions the garbage collector runs: weakref callbacks (WeakValueDictionary's `remove`,
# WeakSet's `_remove`), `__del__`, gc.callbacks hooks (hypothesis installs a `gc_callback`),
# and anything in the weakref modules (finalize).
_FINALIZERS = frozenset({"__del__", "_remove", "remove", "callback", "gc_callback"})
_WEAKREF_FILES = ("weakref.py", "_weakrefset.py")


# CPU time of the process (user + system), and the signal that timer sends
_TIMER = getattr(signal, "ITIMER_PROF", None)
_SIGNAL = getattr(signal, "SIGPROF", None)


class TimeUp(BaseException):
    """The time box expired."""


def can_interrupt() -> bool:
    """Whether :func:`time_box` can really stop a computation here."""
    return (
        threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
        and _TIMER is not None
    )


@contextmanager
def time_box(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeUp` inside the block once ``seconds`` have passed."""
    if seconds <= 0:
        raise TimeUp()
    if not can_interrupt():
        yield
        return

    def _fire(signum: int, frame: object) -> None:
        # Raising inside a finalizer (``__del__``, a weakref callback run by the garbage
        # collector) only prints "Exception ignored" and the box never closes: retry soon.
        f, depth = frame, 0
        while f is not None and depth < 64:
            code = getattr(f, "f_code", None)
            if code is not None and (
                code.co_name in _FINALIZERS or code.co_filename.endswith(_WEAKREF_FILES)
            ):
                signal.setitimer(_TIMER, 0.005)
                return
            f, depth = f.f_back, depth + 1
        raise TimeUp()

    previous = signal.signal(_SIGNAL, _fire)
    signal.setitimer(_TIMER, seconds)
    try:
        yield
    finally:
        signal.setitimer(_TIMER, 0)
        signal.signal(_SIGNAL, previous)
