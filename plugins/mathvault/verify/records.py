"""A formula claim as one JSON record: what `mathvault check --format json` prints, one
per line, as `claim_schema.json` describes it."""

from __future__ import annotations


def record(claim: dict, file: str) -> dict:
    """A claim as one JSON record of `mathvault check --format json` (claim_schema.json).
    Verdicts cached before a field existed, and the stand-in for a crashed checker, get the
    field's default, so every record has every field."""
    return {
        "file": file,
        "line": int(claim.get("line") or 1),
        "block": int(claim.get("block") or 0),
        "row": int(claim.get("row") or 0),
        "latex": str(claim.get("latex") or "").strip(),
        "verdict": str(claim["verdict"]),
        "method": str(claim.get("method") or ""),
        "assumptions": [str(a) for a in claim.get("assumptions") or ()],
        "reason": str(claim.get("reason") or ""),
        "counterexample": claim.get("counterexample"),
    }
