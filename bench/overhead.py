"""Build-time overhead of the mathvault plugin against the same content in plain MkDocs.

For every N in --notes, generate (or reuse) a vault with bench/genvault.py, then build it
--rounds times in each mode, one subprocess per build, the modes interleaved within a round
(plain, mathvault, plain, mathvault, ...) and their order rotated from round to round, so
that machine noise hits every mode alike. Each build records wall time, CPU time (user+sys)
and the peak RSS of the largest process in its tree (os.wait4 of the build process).

Modes (all on the "pruned" variant, Material `navigation.prune`):
    plain       plain form: material + search + admonition/details/attr_list/arithmatex
    mv-off      obsidian form, mathvault with `verify: false`, `execute: false`
    mv-verify   obsidian form, mathvault with formula checks on, execution off
    mv-exec     obsidian form, mathvault with snippet execution on, checks off
Default-config comparison (--default-notes, "default" variant): plain with Material's default
features against the obsidian form with a bare `- mathvault`.

With --concurrent the modes of a round build at the same time, one per core: on a shared
machine whose speed swings between minutes, a pair measured together sees the same load,
and the median of the per-round CPU ratios is the robust number (the table prints it).

Quick run (< 2 min): python bench/overhead.py --notes 200 --rounds 1 --default-notes 0
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


import genvault as gv  # noqa: E402 - its sibling; run this file as a script

# mode name → (form, variant, mathvault options or None for a bare "- mathvault")
MODES: dict[str, tuple[str, str, dict[str, object] | None]] = {
    "plain": ("plain", "pruned", None),
    "mv-off": ("obsidian", "pruned", {"verify": False, "execute": False}),
    "mv-verify": ("obsidian", "pruned", {"verify": True, "execute": False}),
    "mv-exec": ("obsidian", "pruned", {"verify": False, "execute": True}),
    "plain-default": ("plain", "default", None),
    "mv-default": ("obsidian", "default", None),
}


@dataclass
class Build:
    wall: float
    cpu: float
    peak_mb: float
    returncode: int
    warnings: int


@dataclass
class Series:
    notes: int
    mode: str
    builds: list[Build] = field(default_factory=list)
    error: str = ""

    def ok(self) -> list[Build]:
        return [b for b in self.builds if b.returncode == 0]

    def median(self, attr: str) -> float:
        values = [getattr(b, attr) for b in self.ok()]
        return statistics.median(values) if values else float("nan")


def ensure_vault(root: Path, notes: int, seed: int, snippets: int) -> Path:
    """Generate the vault unless `root` already holds one made with the same options."""
    out = root / f"v{notes}"
    stamp = out / "genvault.json"
    wanted = {
        "notes": notes,
        "seed": seed,
        "snippets": snippets,
        "formulas_checked": True,
        "generator": (HERE / "genvault.py").stat().st_mtime_ns,
    }
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return out
    t0 = time.perf_counter()
    gv.generate(out, gv.Options(notes, seed, snippets, True))
    stamp.write_text(json.dumps(wanted))
    print(
        f"# generated {out} ({notes} notes, {snippets} snippets) in "
        f"{time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    return out


def config_for(vault: Path, mode: str) -> Path:
    form, variant, options = MODES[mode]
    path = vault / f"mkdocs-{mode}.yml"
    text = gv.mkdocs_config(form, variant, f"site-{mode}", options if form == "obsidian" else None)
    path.write_text(text, encoding="utf-8")
    return path


# A child's peak RSS (ru_maxrss) starts at its parent's high-water mark when it execs, and
# this benchmark process is big (it imported matplotlib to draw snippet figures). So each
# build is started by this small launcher, which forks the real build from its own small
# memory image, reaps it with os.wait4 and writes that child's rusage as JSON.
LAUNCHER = """
import json, os, subprocess, sys, time
out, timeout, log, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
with open(log, "w") as sink:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
    while True:
        pid, status, use = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            pid, status, use = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    wall = time.perf_counter() - t0
json.dump({"wall": wall, "cpu": use.ru_utime + use.ru_stime, "maxrss_kb": use.ru_maxrss,
           "rc": os.waitstatus_to_exitcode(status)}, open(out, "w"))
"""


def start_build(config: Path, log: Path, cold_cache: bool, timeout: float):
    """Start one `mkdocs build` in its own process, measured by LAUNCHER."""
    import subprocess

    if cold_cache:
        shutil.rmtree(config.parent / ".cache", ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    report = log.with_suffix(".json")
    report.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-c",
        LAUNCHER,
        str(report),
        str(timeout),
        str(log),
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-f",
        str(config),
    ]
    return subprocess.Popen(cmd, env=env), report, log


def finish_build(started, timeout: float) -> Build:
    proc, report, log = started
    if proc.wait(timeout=timeout + 60) != 0:
        raise RuntimeError(f"launcher failed for {log}")
    r = json.loads(report.read_text())
    text = log.read_text(encoding="utf-8", errors="replace")
    return Build(
        wall=r["wall"],
        cpu=r["cpu"],
        peak_mb=r["maxrss_kb"] / 1024,
        returncode=r["rc"],
        warnings=sum(line.startswith("WARNING") for line in text.splitlines()),
    )


def run_build(config: Path, log: Path, cold_cache: bool, timeout: float) -> Build:
    return finish_build(start_build(config, log, cold_cache, timeout), timeout)


def _failure(log: Path) -> str:
    lines = [
        ln for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()
    ]
    return lines[-1][:200] if lines else "no output"


def measure(
    vault: Path,
    notes: int,
    modes: list[str],
    rounds: int,
    cold: bool,
    timeout: float,
    concurrent: bool = False,
) -> list[Series]:
    """`rounds` builds per mode. In turn (order rotated per round), or with `concurrent`
    all modes of a round at once, one per core: then both builds of a pair run under the
    same machine load, which a shared machine's swings (±25 % between minutes) cannot
    skew, and the per-round ratio is the number to read."""
    series = {m: Series(notes, m) for m in modes}
    configs = {m: config_for(vault, m) for m in modes}
    for r in range(rounds):
        order = modes[r % len(modes) :] + modes[: r % len(modes)]
        if cold:
            shutil.rmtree(vault / ".cache", ignore_errors=True)
        groups = [order] if concurrent else [[m] for m in order]
        for group in groups:
            started = {
                m: start_build(
                    configs[m], vault / f"build-{m}.log", cold and not concurrent, timeout
                )
                for m in group
                if not series[m].error
            }
            for mode, handle in started.items():
                s = series[mode]
                b = finish_build(handle, timeout)
                s.builds.append(b)
                status = "ok" if b.returncode == 0 else f"FAILED ({b.returncode})"
                print(
                    f"#   N={notes} round {r + 1} {mode:13s} {b.wall:7.2f} s wall {b.cpu:7.2f} s CPU "  # noqa: E501 (a note's text, kept on one line)
                    f"{b.peak_mb:6.0f} MB  warnings={b.warnings}  {status}",
                    flush=True,
                )
                if b.returncode != 0:
                    s.error = _failure(vault / f"build-{mode}.log")
                    if MODES[mode][0] == "obsidian":
                        print(f"#   mathvault form not buildable yet: {s.error}", flush=True)
    return list(series.values())


def plugin_importable() -> bool:
    try:
        return importlib.util.find_spec("mathvault.mkdocs.plugin") is not None
    except ModuleNotFoundError:
        return False


def baseline_for(mode: str) -> str:
    return "plain-default" if MODES[mode][1] == "default" else "plain"


def table(all_series: list[Series]) -> str:
    rows = [
        (
            "| N | mode | builds | median wall (s) | min wall (s) | median CPU (s) "
            "| peak RSS (MB) | warnings | × plain (wall) | × plain (CPU) | × plain (CPU, median of rounds) |"  # noqa: E501 (a note's text, kept on one line)
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    by_key = {(s.notes, s.mode): s for s in all_series}
    for s in all_series:
        if s.error and not s.ok():
            rows.append(
                f"| {s.notes} | {s.mode} | 0 | — | — | — | — | — | — | "
                f"not buildable: {s.error.replace('|', '/')} | |"
            )
            continue
        base = by_key.get((s.notes, baseline_for(s.mode)))
        ratio = cpu_ratio = paired = ""
        if base and base.ok() and s.mode != base.mode:
            ratio = f"{s.median('wall') / base.median('wall'):.2f}"
            cpu_ratio = f"{s.median('cpu') / base.median('cpu'):.2f}"
            if (
                len(s.builds) == len(base.builds)
                and s.ok() == s.builds
                and base.ok() == base.builds
            ):
                per_round = [a.cpu / b.cpu for a, b in zip(s.builds, base.builds)]
                paired = f"{statistics.median(per_round):.2f} ({', '.join(f'{x:.2f}' for x in per_round)})"  # noqa: E501 (a note's text, kept on one line)
        walls = [b.wall for b in s.ok()]
        rows.append(
            f"| {s.notes} | {s.mode} | {len(walls)} | {s.median('wall'):.2f} | "
            f"{min(walls):.2f} | {s.median('cpu'):.2f} | {s.median('peak_mb'):.0f} | "
            f"{max(b.warnings for b in s.ok())} | {ratio} | {cpu_ratio} | {paired} |"
        )
    return "\n".join(rows)


def load_series(paths: list[Path]) -> list[Series]:
    """Series saved by earlier runs with --json."""
    out: list[Series] = []
    for path in paths:
        for raw in json.loads(path.read_text(encoding="utf-8")):
            builds = [Build(**b) for b in raw.pop("builds")]
            out.append(Series(builds=builds, **raw))
    return out


def plot(all_series: list[Series], png: Path) -> None:
    """Median wall and CPU time vs N, one line per mode measured at two or more N."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, attr, label in ((axes[0], "wall", "wall time"), (axes[1], "cpu", "CPU time")):
        for mode in MODES:
            pooled: dict[int, Series] = {}  # runs measured at the same N are pooled
            for s in all_series:
                if s.mode == mode and s.ok():
                    pooled.setdefault(s.notes, Series(s.notes, mode)).builds += s.ok()
            pts = sorted((n, p.median(attr)) for n, p in pooled.items())
            if len(pts) >= 2:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=mode)
        ax.set_xlabel("notes (N)")
        ax.set_ylabel(f"median mkdocs build {label} (s)")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(
        "Build time vs vault size (2 cores, shared machine; CPU = user+sys of all build processes)",
        fontsize=9,
    )
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--modes",
        default="plain,mv-off,mv-verify,mv-exec",
        help=f"comma-separated, from: {', '.join(MODES)}",
    )
    ap.add_argument(
        "--default-notes",
        type=int,
        default=3000,
        help="N for the default-config comparison (0 skips it)",
    )
    ap.add_argument("--snippets-per-1000", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/mathvault-bench"))
    ap.add_argument(
        "--concurrent",
        action="store_true",
        help="run the modes of a round at the same time, one per core (paired "
        "under the same machine load; needs a core per mode)",
    )
    ap.add_argument(
        "--warm-cache",
        action="store_true",
        help="keep .cache/ between builds (default: cold, cache removed each time)",
    )
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--json", type=Path, help="also write raw results here")
    ap.add_argument("--plot", type=Path, help="write a build-time-vs-N PNG here")
    ap.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        help="measure nothing: print the table and --plot from saved --json files",
    )
    a = ap.parse_args(argv)
    if a.from_json:
        saved = load_series(a.from_json)
        print(table(saved))
        if a.plot:
            plot(saved, a.plot)
        return

    modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    unknown = set(modes) - set(MODES)
    if unknown:
        ap.error(f"unknown modes: {', '.join(sorted(unknown))}")
    if not plugin_importable():
        print(
            "# NOTE: mathvault.mkdocs.plugin is not importable; mathvault modes will be reported as "  # noqa: E501 (a note's text, kept on one line)
            "not buildable.",
            flush=True,
        )
    jobs = [(n, modes) for n in a.notes]
    if a.default_notes:
        jobs.append((a.default_notes, ["plain-default", "mv-default"]))
    results: list[Series] = []
    for notes, job_modes in jobs:
        snippets = max(1, notes * a.snippets_per_1000 // 1000)
        vault = ensure_vault(a.workdir, notes, a.seed, snippets)
        results += measure(
            vault, notes, job_modes, a.rounds, not a.warm_cache, a.timeout, a.concurrent
        )

    print(
        f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
        f"{a.rounds} round(s); cache {'warm' if a.warm_cache else 'cold'}; "
        f"{'modes of a round run concurrently' if a.concurrent else 'builds one at a time'}\n"
    )
    print(table(results))
    if a.json:
        a.json.write_text(json.dumps([asdict(s) for s in results], indent=1), encoding="utf-8")
    if a.plot:
        plot(results, a.plot)


if __name__ == "__main__":
    main()
