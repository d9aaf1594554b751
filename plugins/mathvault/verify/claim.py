"""The result type of the formula checker and its plain-text report."""

from __future__ import annotations

from dataclasses import dataclass

VERDICTS = ("verified", "refuted", "skipped", "definition")


@dataclass(frozen=True)
class Claim:
    """One checked statement of a note: an equation side pair or a definition.

    ``line`` is 1-based in the raw note text (front matter included).  The class
    holds only plain strings and ints so it pickles across worker processes.
    """

    line: int
    latex: str
    verdict: str  # one of VERDICTS
    reason: str
    counterexample: str | None = None
    method: str = ""  # how the verdict was reached: "symbolic", "numeric", "exact", "matrix", ...
    assumptions: tuple[str, ...] = ()  # what the verdict assumed, as written in the note
    block: int = 0  # 0-based number of the math span in the note
    row: int = 0  # 0-based row of a display block (split at \\)

    def message(self, path: str) -> str:
        """Location first, then what is wrong, then what to do."""
        formula = " ".join(self.latex.split())
        if self.verdict == "refuted":
            cex = f" at {self.counterexample}" if self.counterexample else ""
            return (
                f"{path}:{self.line}: formula refuted: {formula}{cex} ({self.reason}); "
                "fix the formula, or wrap it in %% verify: off %% ... %% verify: on %% "
                "if it is meant to be wrong"
            )
        return f"{path}:{self.line}: formula {self.verdict}: {formula} ({self.reason})"


def format_report(claims: list[Claim], path: str) -> str:
    """A per-note report: one line per claim, then a count per verdict."""
    lines = [c.message(path) for c in claims]
    counts = {v: sum(1 for c in claims if c.verdict == v) for v in VERDICTS}
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    lines.append(f"{path}: {len(claims)} claims: {summary}")
    return "\n".join(lines)
