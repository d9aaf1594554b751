"""The labelled corpus: no false refutation, and the issue's detection goals."""

from pathlib import Path

from bench import verify_bench as bench
from mathvault.verify import check_note

ROOT = Path(__file__).resolve().parent.parent


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
    false_refutations = [
        x.claim.message(x.path)
        for x in pairs
        if x.label != "false" and x.claim.verdict == "refuted"
    ]
    assert false_refutations == []
    assert wrongly_verified(pairs) == []
    wrong = [x for x in pairs if x.label == "false"]
    true = [x for x in pairs if x.label == "true"]
    assert sum(x.claim.verdict == "refuted" for x in wrong) >= 0.95 * len(wrong)
    assert sum(x.claim.verdict == "verified" for x in true) >= 0.95 * len(true)


def wrongly_verified(pairs: list) -> list[str]:
    """Wrong claims and non-claims marked verified: the error a reader can least afford."""
    return [
        x.claim.message(x.path)
        for x in pairs
        if x.label in ("false", "skip") and x.claim.verdict == "verified"
    ]
