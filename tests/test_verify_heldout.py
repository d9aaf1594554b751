"""The held-out corpus (tests/data/verify_heldout/), written without looking at the
checker's tuning corpus: never a false refutation; detection and verified share
are printed (run pytest -s to see them) and guarded loosely against regressions."""

import pytest
from test_verify_corpus import ROOT, labelled_pairs, wrongly_verified

from mathvault.verify import check_note

HELDOUT = ROOT / "tests" / "data" / "verify_heldout"


def test_heldout_corpus() -> None:
    pairs = labelled_pairs(HELDOUT)
    assert len([x for x in pairs if x.label != "def"]) >= 200
    false_refutations = [
        x.claim.message(x.path)
        for x in pairs
        if x.label != "false" and x.claim.verdict == "refuted"
    ]
    assert false_refutations == []
    assert wrongly_verified(pairs) == []
    wrong = [x for x in pairs if x.label == "false"]
    true = [x for x in pairs if x.label == "true"]
    caught = sum(x.claim.verdict == "refuted" for x in wrong)
    verified = sum(x.claim.verdict == "verified" for x in true)
    print(
        f"\nheld-out: detection {caught}/{len(wrong)} = {caught / len(wrong):.1%}, "
        f"verified {verified}/{len(true)} = {verified / len(true):.1%}"
    )
    assert caught >= 0.82 * len(wrong)
    assert verified >= 0.82 * len(true)


@pytest.mark.parametrize(
    "note, verdicts",
    [
        # an equation being solved is not a wrong identity
        ("$x^2 - 5x + 6 = 0$", ["skipped"]),
        ("$2x + 3 = x + 5$ so $x = 2$", ["skipped", "definition"]),
        # P(A) = 0.3 is a value at A, not the constant function P = 0.3
        ("$P(A) = 0.3$, $P(B) = 0.5$, $P(A)P(B) = 0.15$", ["definition", "definition", "verified"]),
        # f^{(3)} is the third derivative; \delta^{(2)} is a label, not a square
        ("$f(x) = e^{2x}$ $f^{(3)}(0) = 8$", ["definition", "verified"]),
        ("$\\delta^{(2)} = a - b$, $\\delta^{(1)} = 3\\delta^{(2)}$", ["definition", "definition"]),
        # e defined as an error: e^{x} is ambiguous
        ("$e = y - t$ and $\\frac{d}{dx}e^{x} = e^{x}$", ["definition", "skipped"]),
        # rounding to the decimals written
        ("$\\frac{1}{3} = 0.3$", ["skipped"]),
        ("$0.2 \\cdot 0.3 = 0.6$", ["refuted"]),
        # \int u dv with two integration variables
        ("$\\int u\\,dv = uv - \\int v\\,du$", ["skipped"]),
        # sum index i is an index
        ("$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$", ["verified"]),
    ],
)
def test_heldout_rules(note: str, verdicts: list[str]) -> None:
    assert [c.verdict for c in check_note(note)] == verdicts
