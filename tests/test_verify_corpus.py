"""The labelled corpus: no false refutation, and the issue's detection goals."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("verify_bench", ROOT / "bench" / "verify_bench.py")
assert spec and spec.loader
bench = importlib.util.module_from_spec(spec)
sys.modules["verify_bench"] = bench  # dataclasses look their module up
spec.loader.exec_module(bench)

from mathvault.verify import check_note  # noqa: E402


def labelled_pairs(folder: Path) -> list:
    """Every labelled claim of a corpus folder with the checker's verdict for it."""
    pairs, problems = [], []
    for p in sorted(folder.glob("*.md")):
        if p.name == "README.md":
            continue
        got, probs = bench.pair(p, check_note(p.read_text(encoding="utf-8"), path=p.name))
        pairs += got
        problems += probs
    assert not problems
    return pairs


def test_corpus() -> None:
    pairs = labelled_pairs(bench.CORPUS)
    assert len([x for x in pairs if x.label != "def"]) >= 150
    false_refutations = [x.claim.message(x.path) for x in pairs
                         if x.label != "false" and x.claim.verdict == "refuted"]
    assert false_refutations == []
    wrong = [x for x in pairs if x.label == "false"]
    true = [x for x in pairs if x.label == "true"]
    assert sum(x.claim.verdict == "refuted" for x in wrong) >= 0.95 * len(wrong)
    assert sum(x.claim.verdict == "verified" for x in true) >= 0.85 * len(true)
