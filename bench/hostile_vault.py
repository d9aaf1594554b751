"""Write the largest vault the fidelity work is timed on: a generated vault, the hostile corpus
and (optionally) the exponential fan-out, side by side in one vault.

`python bench/hostile_vault.py --out /tmp/hv --notes 2150 [--no-fan-out]` writes

    /tmp/hv/vault/              genvault's Obsidian form (N notes, Korean folders, embeds)
    /tmp/hv/vault/hostile/      every case of tests/data/hostile/corpus.py (pipes, symlinks,
                                20 MB note, nested 100 deep, bad bytes, cycles, chain 50 deep)
    /tmp/hv/vault/fanout/       22 notes, each embedding the next one twice (2^22 copies)
    /tmp/hv/mkdocs.yml          material + search + mathvault (execute and verify off)

Time it with `/usr/bin/time -v mkdocs build -q -f /tmp/hv/mkdocs.yml` (the hostile corpus
warns by design, so no `--strict`).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from bench import genvault as gv
from tests.data.hostile import corpus

FAN_OUT_DEPTH = 22


def fan_out(depth: int = FAN_OUT_DEPTH, width: int = 2) -> dict[str, str]:
    """`depth` notes, each embedding the next `width` times: width^depth copies, no cycle."""
    files = {
        f"n{i}.md": f"# N{i}\n\nText {i} $x_{{{i}}}$.\n\n" + f"![[n{i + 1}]]\n\n" * width
        for i in range(depth - 1)
    }
    files[f"n{depth - 1}.md"] = "Leaf.\n"
    return files


def write(out: Path, notes: int, with_fan_out: bool) -> int:
    """Write the vault and its mkdocs.yml; return the number of Markdown files written."""
    if out.exists():
        shutil.rmtree(out)
    gv.write_vault(gv.build_vault(gv.Options(notes=notes, seed=1)), out / "gen", 1)
    vault = out / "vault"
    (out / "gen" / "obsidian").rename(vault)
    shutil.rmtree(out / "gen")
    corpus.materialize(corpus.CASES, vault / "hostile")
    if with_fan_out:
        (vault / "fanout").mkdir()
        for name, text in fan_out().items():
            (vault / "fanout" / name).write_text(text, encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: hostile vault\ndocs_dir: vault\nsite_dir: site\n"
        "theme:\n  name: material\n  features:\n    - navigation.prune\n"
        "plugins:\n  - search\n  - mathvault:\n      execute: false\n      verify: false\n",
        encoding="utf-8",
    )
    return sum(1 for p in vault.rglob("*.md") if not p.is_symlink() and p.is_file())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--notes", type=int, default=2150, help="generated notes")
    ap.add_argument("--no-fan-out", action="store_true", help="leave out the 22-deep fan-out")
    a = ap.parse_args(argv)
    n = write(a.out, a.notes, not a.no_fan_out)
    print(f"{n} Markdown files → {a.out}/vault")


if __name__ == "__main__":
    main()
