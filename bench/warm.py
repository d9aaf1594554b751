"""Warm-cache rebuilds: mathvault with everything on against `verify: false, execute: false`.

Each mode gets its own cache folder (`cache_dir`), filled by one untimed-for-the-ratio build;
then --rounds warm builds per mode, interleaved and rotated like overhead.py. This is the
cost of rebuilding an unchanged vault whose formula checks and snippet outputs are cached.

    python bench/warm.py --notes 1000 --snippets 200 --rounds 3      # generated vault
    python bench/warm.py --demo mkdocs.yml --rounds 5                 # the repo's demo vault

With --demo, the config is copied to --workdir with an absolute docs_dir and its own
site_dir and cache_dir, so neither the repo's .cache/ nor its docs_dir is written to.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


import overhead as ov  # noqa: E402 - its sibling; run this file as a script

gv = ov.gv

MODES = {"on": {"verify": True, "execute": True}, "off": {"verify": False, "execute": False}}


def generated_configs(workdir: Path, notes: int, snippets: int, seed: int) -> dict[str, Path]:
    out = workdir / f"warm-v{notes}-s{snippets}"
    stamp = out / "genvault.json"
    wanted = {
        "notes": notes,
        "seed": seed,
        "snippets": snippets,
        "formulas_checked": True,
        "generator": (HERE / "genvault.py").stat().st_mtime_ns,
    }
    if not (stamp.exists() and json.loads(stamp.read_text()) == wanted):
        t0 = time.perf_counter()
        gv.generate(out, gv.Options(notes, seed, snippets, True))
        stamp.write_text(json.dumps(wanted))
        print(f"# generated {out} in {time.perf_counter() - t0:.1f} s", flush=True)
    configs = {}
    for mode, opts in MODES.items():
        path = out / f"mkdocs-warm-{mode}.yml"
        path.write_text(
            gv.mkdocs_config(
                "obsidian",
                "pruned",
                f"site-warm-{mode}",
                {**opts, "cache_dir": f".cache-warm-{mode}"},
            ),
            encoding="utf-8",
        )
        configs[mode] = path
    return configs


def demo_configs(workdir: Path, source: Path) -> dict[str, Path]:
    text = source.read_text(encoding="utf-8")
    docs = re.search(r"^docs_dir:\s*(\S+)\s*$", text, re.M)
    docs_dir = (source.parent / (docs.group(1) if docs else "docs")).resolve()
    if not re.search(r"^  - mathvault\s*$", text, re.M):
        raise SystemExit("expected a bare `  - mathvault` line in the demo config")
    out = workdir / "warm-demo"
    out.mkdir(parents=True, exist_ok=True)
    configs = {}
    for mode, opts in MODES.items():
        t = re.sub(r"^docs_dir:.*$", f"docs_dir: {docs_dir}", text, flags=re.M)
        t = re.sub(r"^site_dir:.*$", f"site_dir: {out / ('site-' + mode)}", t, flags=re.M)
        block = "  - mathvault:\n" + "".join(
            f"      {k}: {str(v).lower() if isinstance(v, bool) else v}\n"
            for k, v in {**opts, "cache_dir": f".cache-{mode}"}.items()
        )
        t = re.sub(r"^  - mathvault\s*\n?", block, t, flags=re.M)
        path = out / f"mkdocs-{mode}.yml"
        path.write_text(t, encoding="utf-8")
        configs[mode] = path
    return configs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--snippets", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--demo", type=Path, help="an existing mkdocs.yml instead of a generated vault")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-fill", action="store_true", help="caches are already filled")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/mathvault-bench"))
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--concurrent",
        action="store_true",
        help="build both modes of a round at the same time (see overhead.py)",
    )
    a = ap.parse_args(argv)
    configs = (
        demo_configs(a.workdir, a.demo.resolve())
        if a.demo
        else generated_configs(a.workdir, a.notes, a.snippets, a.seed)
    )
    modes = list(configs)
    samples: dict[str, list[Any]] = {m: [] for m in modes}
    fills: dict[str, Any] = {}
    if not a.no_fill:
        for mode in modes:
            shutil.rmtree(
                configs[mode].parent / f"{'.cache-' if a.demo else '.cache-warm-'}{mode}",
                ignore_errors=True,
            )
            b = ov.run_build(
                configs[mode], configs[mode].with_suffix(".fill.log"), False, a.timeout
            )
            fills[mode] = b
            print(
                f"# fill {mode:4s} {b.wall:7.2f} s wall {b.cpu:7.2f} s CPU rc={b.returncode} "
                f"warnings={b.warnings}",
                flush=True,
            )
    for r in range(a.rounds):
        order = modes[r % len(modes) :] + modes[: r % len(modes)]
        for group in [order] if a.concurrent else [[m] for m in order]:
            started = {
                m: ov.start_build(configs[m], configs[m].with_suffix(".log"), False, a.timeout)
                for m in group
            }
            for mode, handle in started.items():
                b = ov.finish_build(handle, a.timeout)
                samples[mode].append(b)
                print(
                    f"#   round {r + 1} {mode:4s} {b.wall:7.2f} s wall {b.cpu:7.2f} s CPU "
                    f"{b.peak_mb:5.0f} MB rc={b.returncode} warnings={b.warnings}",
                    flush=True,
                )
    print(
        "\n| mode | builds | median wall (s) | min wall (s) | median CPU (s) | min CPU (s) "
        "| peak RSS (MB) | on / off (wall, CPU) |\n|---|---:|---:|---:|---:|---:|---:|---|"
    )
    med = {
        m: {
            k: statistics.median(getattr(b, k) for b in samples[m])
            for k in ("wall", "cpu", "peak_mb")
        }
        for m in modes
    }
    for m in modes:
        walls = [b.wall for b in samples[m]]
        cpus = [b.cpu for b in samples[m]]
        ratio = (
            f"{med[m]['wall'] / med['off']['wall']:.2f}, {med[m]['cpu'] / med['off']['cpu']:.2f}"
            if m != "off"
            else ""
        )
        print(
            f"| {m} | {len(walls)} | {med[m]['wall']:.2f} | {min(walls):.2f} | "
            f"{med[m]['cpu']:.2f} | {min(cpus):.2f} | {med[m]['peak_mb']:.0f} | {ratio} |"
        )
    per_round = [on.cpu / off.cpu for on, off in zip(samples["on"], samples["off"])]
    print(
        f"\non / off CPU per round: {', '.join(f'{x:.2f}' for x in per_round)}; "
        f"median {statistics.median(per_round):.2f}"
    )
    if a.json:
        a.json.write_text(
            json.dumps(
                {
                    "fills": {m: vars(b) for m, b in fills.items()},
                    "samples": {m: [vars(b) for b in s] for m, s in samples.items()},
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
