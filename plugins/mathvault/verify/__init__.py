"""Check the formulas of an Obsidian note with SymPy.

``check_note(text)`` returns one :class:`Claim` per definition and per claim
(``a = b`` link) found in the note's math, each ``verified``, ``refuted`` (with
a counterexample), ``skipped`` (with the reason) or ``definition``.  See
``docs/verify.md`` for the rules.
"""

from .version import VERIFIER_VERSION

__all__ = ["VERDICTS", "VERIFIER_VERSION", "Claim", "VerdictCache", "check_note", "format_report"]


def __getattr__(name: str):
    """Import the SymPy-backed parts on first use: a build that only reads cached
    verdicts (every warm rebuild) never pays for importing SymPy."""
    if name in ("VerdictCache",):
        from .cache import VerdictCache

        return VerdictCache
    if name in ("VERDICTS", "Claim", "format_report"):
        from . import claim

        return getattr(claim, name)
    if name == "check_note":
        from .note import check_note

        return check_note
    raise AttributeError(name)
