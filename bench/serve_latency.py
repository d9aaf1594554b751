"""Edit-to-page latency of `mkdocs serve` on a generated vault (plain form and mathvault form).

For each form and each of full / --dirty rebuilds: start `mkdocs serve --livereload` on a free
port, wait until the site answers, then repeatedly append a unique marker paragraph to one
note and poll that note's page over HTTP until the marker is served. The time from the write
to the first response containing the marker is one sample; the report gives the median.

    python bench/serve_latency.py --notes 1000 --edits 5
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent


import genvault as gv  # noqa: E402 - its sibling; run this file as a script


@dataclass
class Session:
    form: str
    dirty: bool
    startup: float = float("nan")
    samples: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def label(self) -> str:
        return f"{self.form}{' --dirty' if self.dirty else ''}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def page_url(base: str, note_path: str) -> str:
    """use_directory_urls: `a b/c.md` is served at `/a%20b/c/`."""
    return base + quote(note_path + "/")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C does: mkdocs shuts the server down
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(pred: Any, timeout: float, proc: subprocess.Popen[bytes], poll: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            return False
        if pred():
            return True
        time.sleep(poll)
    return False


def run_session(
    vault: Path,
    config: Path,
    session: Session,
    notes: list[str],
    edits: int,
    timeout: float,
    poll: float,
    settle: float,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = vault / f"serve-{session.form}{'-dirty' if session.dirty else ''}.log"
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-f",
        str(config),
        "-a",
        f"127.0.0.1:{port}",
        "--livereload",
    ] + (["--dirty"] if session.dirty else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    originals: dict[Path, bytes] = {}
    with log.open("wb") as sink:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, env=env)
        try:
            if not wait_for(lambda: fetch(base) is not None, timeout, proc, 0.2):
                tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
                session.error = (tail[-1] if tail else "no output")[:200]
                return
            session.startup = time.perf_counter() - t0
            for i in range(edits):
                note = notes[i % len(notes)]
                src = vault / session.form / (note + ".md")
                originals.setdefault(src, src.read_bytes())
                marker = f"latency-marker-{uuid.uuid4().hex}"
                url = page_url(base, note)
                start = time.perf_counter()
                with src.open("a", encoding="utf-8") as f:
                    f.write(f"\n\n{marker}\n")
                seen = wait_for(lambda m=marker, u=url: m in (fetch(u) or ""), timeout, proc, poll)
                if not seen:
                    session.error = f"marker not served within {timeout:.0f} s ({url})"
                    return
                session.samples.append(time.perf_counter() - start)
                print(
                    f"#   {session.label:20s} edit {i + 1}: {session.samples[-1]:.2f} s", flush=True
                )
                time.sleep(settle)  # let the watcher go quiet before the next edit
        finally:
            stop(proc)
            for path, data in originals.items():
                path.write_bytes(data)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument(
        "--forms", nargs="+", default=["plain", "obsidian"], choices=["plain", "obsidian"]
    )
    ap.add_argument("--no-full", action="store_true", help="only measure --dirty")
    ap.add_argument("--no-dirty", action="store_true", help="only measure full rebuilds")
    ap.add_argument("--variant", choices=["pruned", "default"], default="pruned")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/mathvault-bench"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--poll", type=float, default=0.05, help="HTTP poll interval (s)")
    ap.add_argument("--settle", type=float, default=1.0)
    a = ap.parse_args(argv)

    vault = a.workdir / f"serve-v{a.notes}"
    if not (vault / "plain").is_dir():
        gv.generate(vault, gv.Options(a.notes, a.seed, 0, True), a.variant)
    gv.write_configs(vault, a.variant)
    plain = vault / "plain"
    regular = sorted(
        p.relative_to(plain).with_suffix("").as_posix()
        for p in plain.rglob("*.md")
        if p.name not in ("index.md", "개요.md")
    )
    targets = regular[:: max(1, len(regular) // max(1, a.edits))][: a.edits]
    kinds = [d for d in (False, True) if not (d and a.no_dirty) and not (not d and a.no_full)]
    sessions = [Session(form, dirty) for form in a.forms for dirty in kinds]
    for s in sessions:
        run_session(
            vault, vault / f"mkdocs-{s.form}.yml", s, targets, a.edits, a.timeout, a.poll, a.settle
        )
        if s.error:
            what = "mathvault form not buildable yet" if s.form == "obsidian" else "failed"
            print(f"#   {s.label}: {what}: {s.error}", flush=True)

    print(
        f"\nmachine: {os.cpu_count()} cores; {a.notes} notes, {a.variant} variant, "
        f"{a.edits} edits per session, poll {a.poll * 1000:.0f} ms\n"
    )
    print("| form | startup to first page (s) | edit→page median (s) | min | max | edits |")
    print("|---|---:|---:|---:|---:|---:|")
    for s in sessions:
        if not s.samples:
            print(f"| {s.label} | — | not measured: {s.error.replace('|', '/')} | | | 0 |")
            continue
        print(
            f"| {s.label} | {s.startup:.1f} | {statistics.median(s.samples):.2f} | "
            f"{min(s.samples):.2f} | {max(s.samples):.2f} | {len(s.samples)} |"
        )


if __name__ == "__main__":
    main()
