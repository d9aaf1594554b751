"""What the graph view and the compound-finding Korean search cost: build time, site size,
search index size and query time, on generated vaults (bench/genvault.py).

```sh
python bench/reading_bench.py --notes 1000 5000 [--rounds 1] [--workdir /tmp/mathvault-reading]
```

Three mathvault configs of the same vault (`verify: false, execute: false`, so only the
reading features differ), each built `--rounds` times, cold cache, one subprocess per build:

| mode | graph, graph_page | search_subwords |
|---|---|---|
| `base` | off | off |
| `graph` | on | off |
| `all` | on | on |

Printed per N and mode: median build seconds, total site size, the search index
(`search/search_index.json`), the median note page, the graph page. With `--query`, the
`base` and `all` indexes are loaded into Material's own search worker in headless
Chromium and each query is timed (median of 20 runs after a warm-up), with the number of
results: the worker is what answers a reader's query.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from bench.genvault import Options, generate

MODES = {
    "base": {"graph": False, "graph_page": False, "search_subwords": False},
    "graph": {"graph": True, "graph_page": True, "search_subwords": False},
    "all": {"graph": True, "graph_page": True, "search_subwords": True},
}
QUERIES = ["미분", "함수", "분포", "gradient", "행렬"]


def ensure_vault(root: Path, notes: int) -> Path:
    out = root / f"v{notes}"
    if not (out / "obsidian").is_dir():
        generate(out, Options(notes=notes, seed=1, snippets=0))
    return out / "obsidian"


def build(vault: Path, workdir: Path, mode: str) -> float:
    site = workdir / f"site-{mode}"
    config = {
        "site_name": "reading bench",
        "docs_dir": str(vault),
        "site_dir": str(site),
        "theme": {"name": "material", "language": "ko", "features": ["navigation.prune"]},
        "plugins": [
            "search",
            {
                "mathvault": {
                    "verify": False,
                    "execute": False,
                    "cache_dir": str(workdir / f".cache-{mode}"),
                    **MODES[mode],
                }
            },
        ],
    }
    file = workdir / f"mkdocs-{mode}.yml"
    file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shutil.rmtree(workdir / f".cache-{mode}", ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(file)],
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build {mode} failed:\n{proc.stderr[-3000:]}")
    return seconds


def sizes(site: Path) -> dict[str, float]:
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    pages = [
        f.stat().st_size
        for f in site.rglob("index.html")
        if f.parent != site and f.parent.name not in ("graph", "search", "tags", "formula-checks")
    ]
    graph = site / "graph" / "index.html"
    return {
        "site_mb": total / 1e6,
        "index_mb": (site / "search" / "search_index.json").stat().st_size / 1e6,
        "page_kb": statistics.median(pages) / 1e3,
        "graph_kb": graph.stat().st_size / 1e3 if graph.is_file() else 0.0,
    }


def query_times(site: Path, queries: list[str]) -> dict[str, tuple[float, int]]:
    """Median milliseconds and result count per query, in Material's search worker."""
    from playwright.sync_api import sync_playwright

    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    script = """async ([url, index, queries]) => {
        const w = new Worker(url);
        const ask = msg => new Promise(res => {
            w.onmessage = ev => res(ev.data);
            w.postMessage(msg);
        });
        await ask({type: 0, data: {...index, options: {suggest: false}}});
        const out = {};
        for (const q of queries) {
            let r = await ask({type: 2, data: q});
            const times = [];
            for (let i = 0; i < 20; i++) {
                const t = performance.now();
                r = await ask({type: 2, data: q});
                times.push(performance.now() - t);
            }
            times.sort((a, b) => a - b);
            out[q] = [times[10], r.data.items.length];
        }
        w.terminate();
        return out;
    }"""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((site / "index.html").as_uri())
        # A worker needs a same-origin URL; file:// pages may load file:// workers in
        # Chromium only with this flag, so serve the script as a blob instead.
        source = worker.read_text(encoding="utf-8")
        lunr_dir = site / "assets" / "javascripts" / "lunr"
        prelude = "".join(
            (lunr_dir / "min" / name).read_text(encoding="utf-8") + "\n"
            for name in ("lunr.stemmer.support.min.js", "lunr.ko.min.js", "lunr.multi.min.js")
        )
        # The worker importScripts() its languages from ../lunr at set-up: evaluate ours.
        blob = page.evaluate(
            """([src, prelude]) => URL.createObjectURL(new Blob(
                ["const __langs = " + JSON.stringify(prelude) + ";\\n"
                 + "self.importScripts = () => { (0, eval)(__langs); };\\n" + src],
                {type: "text/javascript"}))""",
            [source, prelude],
        )
        result = page.evaluate(script, [blob, index, queries])
        browser.close()
    return {q: (ms, n) for q, (ms, n) in result.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/mathvault-reading"))
    ap.add_argument("--query", action="store_true", help="time queries in the search worker")
    args = ap.parse_args(argv)
    rows = []
    for notes in args.notes:
        vault = ensure_vault(args.workdir, notes)
        work = args.workdir / f"n{notes}"
        work.mkdir(parents=True, exist_ok=True)
        times: dict[str, list[float]] = {m: [] for m in MODES}
        for r in range(args.rounds):
            order = list(MODES)[r % 3 :] + list(MODES)[: r % 3]
            for mode in order:
                times[mode].append(build(vault, work, mode))
        for mode in MODES:
            row = {"notes": notes, "mode": mode, "build_s": statistics.median(times[mode])}
            row.update(sizes(work / f"site-{mode}"))
            rows.append(row)
            print(json.dumps(row), flush=True)
        if args.query:
            for mode in ("base", "all"):
                for q, (ms, n) in query_times(work / f"site-{mode}", QUERIES).items():
                    print(
                        json.dumps(
                            {"notes": notes, "mode": mode, "query": q, "ms": ms, "results": n},
                            ensure_ascii=False,
                        ),
                        flush=True,
                    )
    print("\n| notes | mode | build s | site MB | search index MB | note page KB | graph page KB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['notes']} | {r['mode']} | {r['build_s']:.1f} | {r['site_mb']:.1f} | "
            f"{r['index_mb']:.2f} | {r['page_kb']:.1f} | {r['graph_kb']:.0f} |"
        )


if __name__ == "__main__":
    main()
