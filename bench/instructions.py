"""Instructions executed by a cold build, plain form against mathvault (`mv-off`), counted
by valgrind's cachegrind: a measure no other process on a shared machine can disturb.

    python bench/instructions.py --notes 200        # ~3 min on 2 cores
    python bench/instructions.py --notes 1000       # ~12 min

Both builds run at once (one per core) under `valgrind --tool=cachegrind --cache-sim=no`,
on the real interpreter (a pyenv shim would exec it outside valgrind). Instructions are
not time: memory stalls are not counted. Needs the `valgrind` package.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
import overhead as ov  # noqa: E402 - the vault and configs overhead.py builds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--snippets-per-1000", type=int, default=20)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/mathvault-bench"))
    a = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt install valgrind)")
    vault = ov.ensure_vault(
        a.workdir, a.notes, a.seed, max(1, a.notes * a.snippets_per_1000 // 1000)
    )
    shutil.rmtree(vault / ".cache", ignore_errors=True)
    python = os.path.realpath(sys.executable)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    procs = {}
    for mode in ("plain", "mv-off"):
        config = ov.config_for(vault, mode)
        cmd = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            python,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(config),
        ]
        procs[mode] = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    counts = {}
    for mode, proc in procs.items():
        _, err = proc.communicate()
        found = re.search(r"I\s+refs:\s+([\d,]+)", err)
        if proc.returncode != 0 or not found:
            sys.exit(f"{mode}: build failed under valgrind (exit {proc.returncode})\n{err[-2000:]}")
        counts[mode] = int(found.group(1).replace(",", ""))
        print(f"{mode:7s} {counts[mode] / 1e9:8.2f} G instructions", flush=True)
    print(f"N={a.notes}: mathvault / plain = {counts['mv-off'] / counts['plain']:.3f}")


if __name__ == "__main__":
    main()
