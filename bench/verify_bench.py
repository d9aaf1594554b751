"""Benchmark the formula checker on the labelled corpus in tests/data/verify/.

Prints false refutations (must be 0), the detection rate of wrong claims, the
share of true claims verified rather than skipped, label mismatches, and the
median/total time per claim, cold (empty cache) and warm (every verdict a cache
hit).  Run:  python bench/verify_bench.py [--verbose] [--corpus DIR]
(``--corpus tests/data/verify_heldout`` runs the held-out corpus).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mathvault.verify import Claim, VerdictCache, check_note

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "verify"
_EXPECT = re.compile(r"%%\s*expect:\s*([a-z ,]+?)\s*%%")
LABELS = {"true", "false", "skip", "def"}


@dataclass(frozen=True)
class Labelled:
    """A claim with the label the corpus gives it."""

    path: str
    claim: Claim
    label: str


def expectations(text: str) -> dict[int, list[str]]:
    """Labels per 1-based line from ``%% expect: ... %%`` markers."""
    out: dict[int, list[str]] = {}
    for n, line in enumerate(text.split("\n"), start=1):
        m = _EXPECT.search(line)
        if m:
            labels = [x.strip() for x in m.group(1).split(",")]
            bad = set(labels) - LABELS
            if bad:
                raise ValueError(f"line {n}: unknown labels {bad}")
            out[n] = labels
    return out


def pair(path: Path, claims: list[Claim]) -> tuple[list[Labelled], list[str]]:
    """Match claims to labels by line and order; return pairs and problems."""
    expected = expectations(path.read_text(encoding="utf-8"))
    by_line: dict[int, list[Claim]] = {}
    for c in claims:
        by_line.setdefault(c.line, []).append(c)
    for line, got in by_line.items():
        # `x > 0` next to a claim: a condition; corpora that label only `=` links skip it
        only_eq = [c for c in got if not c.reason.startswith("skipped: relation ")]
        if len(expected.get(line, [])) == len(only_eq) != len(got):
            by_line[line] = only_eq
    pairs: list[Labelled] = []
    problems: list[str] = []
    for line in sorted(set(expected) | set(by_line)):
        labels, got = expected.get(line, []), by_line.get(line, [])
        if len(labels) != len(got):
            problems.append(
                f"{path.name}:{line}: {len(labels)} labels but {len(got)} claims "
                f"{[c.verdict for c in got]}"
            )
        for label, c in zip(labels, got):
            pairs.append(Labelled(path.name, c, label))
    return pairs, problems


def run(verbose: bool = False, corpus: Path = CORPUS) -> int:
    notes = sorted(Path(corpus).glob("*.md"))
    notes = [p for p in notes if p.name != "README.md"]
    cache = VerdictCache()
    all_pairs: list[Labelled] = []
    problems: list[str] = []

    def timed_pass() -> tuple[float, list[float], list[tuple[Path, list]]]:
        """Check every note once; total seconds, seconds per claim, and the claims."""
        total, per_claim, results = 0.0, [], []
        for p in notes:
            text = p.read_text(encoding="utf-8")
            t0 = time.perf_counter()
            claims = check_note(text, path=p.name, cache=cache)
            dt = time.perf_counter() - t0
            total += dt
            n = max(1, sum(c.verdict != "definition" for c in claims))
            per_claim.extend([dt / n] * n)
            results.append((p, claims))
        return total, per_claim, results

    cold_total, cold_times, cold_results = timed_pass()
    warm_total, warm_times, _ = timed_pass()  # the same notes again: every verdict cached
    for p, claims in cold_results:
        pairs, probs = pair(p, claims)
        all_pairs += pairs
        problems += probs

    def count(label: str, verdict: str | None = None) -> int:
        return sum(
            1
            for x in all_pairs
            if x.label == label and (verdict is None or x.claim.verdict == verdict)
        )

    false_refutations = [
        x for x in all_pairs if x.label in ("true", "skip", "def") and x.claim.verdict == "refuted"
    ]
    # the worst error of all: a wrong claim, or a non-claim, marked verified
    wrong_verified = [
        x for x in all_pairs if x.label in ("false", "skip") and x.claim.verdict == "verified"
    ]
    wrong, caught = count("false"), count("false", "refuted")
    true, verified = count("true"), count("true", "verified")
    mismatches = [
        x
        for x in all_pairs
        if {"true": "verified", "false": "refuted", "skip": "skipped", "def": "definition"}[x.label]
        != x.claim.verdict
    ]
    print(
        f"corpus {Path(corpus).name}: {len(notes)} notes, {len(all_pairs)} labelled claims "
        f"({true} true, {wrong} false, {count('skip')} not checkable, {count('def')} definitions)"
    )
    print(
        f"wrongly verified (wrong claims or non-claims marked verified): {len(wrong_verified)} "
        f"({sum(x.label == 'false' for x in wrong_verified)} wrong, "
        f"{sum(x.label == 'skip' for x in wrong_verified)} non-claims)"
    )
    for x in wrong_verified:
        print(f"    [{x.label}]", x.claim.message(x.path))
    print(f"false refutations: {len(false_refutations)}")
    for x in false_refutations:
        print("   ", x.claim.message(x.path))
    print(f"detection of wrong claims: {caught}/{wrong} = {caught / max(wrong, 1):.1%}")
    print(f"true claims verified (not skipped): {verified}/{true} = {verified / max(true, 1):.1%}")
    print(
        f"time per claim, cold: median {statistics.median(cold_times) * 1000:.1f} ms, "
        f"total {cold_total:.2f} s"
    )
    print(
        f"time per claim, warm: median {statistics.median(warm_times) * 1000:.1f} ms, "
        f"total {warm_total:.2f} s (cache: {len(cache)} verdicts)"
    )
    if problems:
        print(f"label/claim count problems: {len(problems)}")
        for pr in problems:
            print("   ", pr)
    if verbose:
        print(f"mismatches ({len(mismatches)}):")
        for x in mismatches:
            print(f"    [{x.label}] {x.claim.message(x.path)}")
    return 1 if false_refutations or wrong_verified or problems else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true", help="list every label mismatch")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        help="folder of labelled notes (default: %(default)s)",
    )
    args = ap.parse_args()
    sys.exit(run(args.verbose, args.corpus))
