"""Check the formulas of an Obsidian note with SymPy.

``check_note(text)`` returns one :class:`Claim` per definition and per claim
(``a = b`` link) found in the note's math, each ``verified``, ``refuted`` (with
a counterexample), ``skipped`` (with the reason) or ``definition``.  See
``docs/verify.md`` for the rules.
"""

from .cache import VerdictCache
from .claim import VERDICTS, Claim, format_report
from .note import VERIFIER_VERSION, check_note

__all__ = ["VERDICTS", "VERIFIER_VERSION", "Claim", "VerdictCache", "check_note", "format_report"]
