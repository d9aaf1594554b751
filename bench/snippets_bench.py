"""Benchmark the snippet engine on a generated vault.

Generates N notes with two exec blocks each (a numpy computation, and on every
fourth note a small auto-captured figure), then times, with fresh engines:

- disabled: ``enabled=False`` (parse the fences only: the floor);
- cold:     empty cache, every snippet runs (worker start-up included);
- warm:     unchanged vault, everything from the cache;
- one:      one snippet edited, that note reruns.

Also prints what hashing the vault (before and after the snippets) cost.
For a before/after comparison run it on an old checkout with
``PYTHONPATH=<checkout>/plugins`` (check ``mathvault.__file__``).

Usage: python bench/snippets_bench.py [--notes 200] [--reps 3] [--jobs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from mathvault.snippets import SnippetEngine

NOTE = """---
title: Note {i}
---
# Note {i}

Some prose with math $f(x) = x^{{{p}}}$ and a list:

- item one
- item two

```python exec source=fold
import numpy as np
xs = np.linspace(0, 1, 1000)
area = np.trapz(xs ** {p}, xs) if hasattr(np, "trapz") else np.trapezoid(xs ** {p}, xs)
print(f"integral of x^{p} on [0, 1] ~ {{area:.4f}} (seed {seed})")
```

More prose.

```python exec
{second}
```
"""

PLOT = """import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(4, 3))
ax.plot(xs, xs ** {p})
ax.set_title("x^{p}")"""

CALC = """total = sum(k * k for k in range(2000))
print(total, area > 0)"""


def generate(root: Path, notes: int) -> list[str]:
    """Write the vault; return the vault-relative note paths."""
    paths = []
    for i in range(notes):
        rel = f"part{i % 10}/note{i:04d}.md"
        second = PLOT.format(p=i % 5 + 1) if i % 4 == 0 else CALC
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NOTE.format(i=i, p=i % 5 + 1, seed=0, second=second), encoding="utf-8")
        paths.append(rel)
    return paths


HASHING: list[float] = []  # seconds each build spent hashing the vault (both passes)


def build(vault: Path, cache: Path, notes: list[str], **options: object) -> tuple[float, str]:
    """Submit every note, wait for all results; return (seconds, summary)."""
    start = time.perf_counter()
    with SnippetEngine(vault, cache, **options) as engine:  # type: ignore[arg-type]
        for rel in notes:
            engine.submit(rel, (vault / rel).read_text(encoding="utf-8"))
        results = engine.wait_all()
        summary = engine.summary().split("; ")[0]  # not the sandbox's walls
        HASHING.append(getattr(engine, "vault_hash_seconds", 0.0))  # older engines: none
    failed = [m for r in results.values() for m in r.messages()]
    if failed:
        raise SystemExit("benchmark snippet failed: " + failed[0])
    return time.perf_counter() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mathvault-snippets-bench-"))
    try:
        vault = work / "vault"
        notes = generate(vault, args.notes)
        times: dict[str, list[float]] = {"disabled": [], "cold": [], "warm": [], "one": []}
        last: dict[str, str] = {}
        for rep in range(args.reps):
            cache = work / f"cache{rep}"
            for label, opts in (("disabled", {"enabled": False}), ("cold", {}), ("warm", {})):
                seconds, last[label] = build(vault, cache, notes, jobs=args.jobs, **opts)
                times[label].append(seconds)
            target = vault / notes[rep % len(notes)]
            target.write_text(
                target.read_text(encoding="utf-8").replace("(seed 0)", f"(seed {rep + 1})"),
                encoding="utf-8",
            )
            seconds, last["one"] = build(vault, cache, notes, jobs=args.jobs)
            times["one"].append(seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    snippets = 2 * args.notes
    floor = statistics.median(times["disabled"])
    print(
        f"{args.notes} notes, {snippets} snippets, jobs={args.jobs or 'cpu count'}, "
        f"{args.reps} reps (median seconds)"
    )
    for label, values in times.items():
        med = statistics.median(values)
        print(
            f"  {label:9s} {med:8.3f} s   x{med / floor:8.1f} vs disabled   "
            f"[{', '.join(f'{v:.3f}' for v in values)}]   {last[label]}"
        )
    cold, warm = statistics.median(times["cold"]), statistics.median(times["warm"])
    print(
        f"  cold/warm speed-up: {cold / warm:.1f}x; "
        f"cold per snippet: {1000 * cold / snippets:.1f} ms"
    )
    hashed = [h for h in HASHING if h]
    if hashed:
        print(
            f"  vault content hash (before and after the snippets, when any runs): "
            f"median {1000 * statistics.median(hashed):.1f} ms per build"
        )


if __name__ == "__main__":
    main()
