"""The corpora written blind from docs/verify.md (tests/data/verify_adversarial/ and
tests/data/verify_realnotes/ before the checker's round-3 fixes, tests/data/verify_ml_blind/ in
round 4 before the fixes it then prompted): their labels are confirmed by
separate SymPy code, and the checker never marks a wrong claim or a non-claim verified and
never refutes a true claim or a non-claim there."""

import subprocess
import sys

import pytest
from test_verify_corpus import ROOT, labelled_pairs, wrongly_verified

DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize("corpus", ["verify_adversarial", "verify_realnotes", "verify_ml_blind"])
def test_labels_confirmed_by_separate_sympy_code(corpus: str) -> None:
    script = DATA / corpus / "check_labels.py"
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


@pytest.mark.parametrize(
    "corpus, detect, verify",
    [
        # measured at the end of round 4 (see the closing note), less a margin for load
        ("verify_adversarial", 0.92, 0.92),
        ("verify_realnotes", 0.70, 0.70),
        ("verify_ml_blind", 0.85, 0.90),
    ],
)
def test_blind_corpus_is_never_wrong(corpus: str, detect: float, verify: float) -> None:
    pairs = labelled_pairs(DATA / corpus)
    assert len([x for x in pairs if x.label in ("true", "false", "skip")]) >= 300
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
    print(f"\n{corpus}: detection {caught}/{len(wrong)}, verified {verified}/{len(true)}")
    assert caught >= detect * len(wrong)
    assert verified >= verify * len(true)
