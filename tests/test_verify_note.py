"""check_note end to end: definitions, claims, verdicts, directives, robustness."""

import pickle
from pathlib import Path

import pytest

from mathvault.verify import VERIFIER_VERSION, Claim, VerdictCache, check_note, format_report

SEED = Path(__file__).parent / "data" / "verify" / "seed_3.4.3.md"


def verdicts(text: str) -> list[tuple[int, str]]:
    return [(c.line, c.verdict) for c in check_note(text)]


def test_seed_note_sigmoid_and_chain_rule_verified() -> None:
    claims = check_note(SEED.read_text(encoding="utf-8"), path="seed.md")
    by_line = {c.line: c for c in claims if c.verdict != "definition"}
    assert by_line[72].verdict == "verified"  # sigma' = e^{-z}/(1+e^{-z})^2
    assert by_line[73].verdict == "verified"  # sigma' = sigma(1 - sigma)
    assert by_line[26].verdict == "verified"  # F'(x) = f'(g(x)) g'(x)
    assert by_line[28].verdict == "verified"  # dy/dx = dy/du du/dx
    # the one finding: line 38's first terms read ∂x_1/∂t_1, ∂x_2/∂t_2 where the chain rule
    # (and the note's own last term) has ∂t_i; as written, at n = 3, the formula is false
    [typo] = [c for c in claims if c.verdict == "refuted"]
    assert typo.line == 38 and "as written" in typo.reason and typo.counterexample
    assert all(c.reason for c in claims)


def test_refutation_has_counterexample_and_actionable_message() -> None:
    text = "$$\n\\begin{align}\n&\\sigma(z) = \\frac{1}{1+e^{-z}} \\\\\n&\\sigma'(z) = \\sigma(z)(1+\\sigma(z))\n\\end{align}\n$$"  # noqa: E501
    claims = check_note(text)
    assert [c.verdict for c in claims] == ["definition", "refuted"]
    bad = claims[1]
    assert bad.line == 4 and bad.counterexample and "z = " in bad.counterexample
    msg = bad.message("vault/n.md")
    assert msg.startswith("vault/n.md:4: formula refuted:") and "lhs = " in msg


def test_chain_is_split_and_continuation_rows_join() -> None:
    text = "$$\n\\begin{align}\n(a+b)^2 &= a^2 + 2ab + b^2 \\\\\n&= a^2 + b^2\n\\end{align}\n$$"
    assert verdicts(text) == [(3, "verified"), (4, "refuted")]


def test_verify_off_region_and_directives() -> None:
    text = "%% verify: off %%\n$1 = 2$\n%% verify: on %%\n$1 = 2$\n%% verify: i=imaginary %%\n$e^{i\\pi} = -1$"  # noqa: E501
    assert verdicts(text) == [(2, "skipped"), (4, "refuted"), (6, "verified")]


def test_e_is_a_variable_once_defined() -> None:
    assert verdicts("$e = mc^2$ so $\\frac{e}{m} = c^2$") == [(1, "definition"), (1, "verified")]


def test_never_raises_on_garbage() -> None:
    for text in [
        "$$",
        "$\\frac{$",
        "$$\\begin{align} a &= \\\\ \\end{align}$$",
        "$x = {$",
        "$=$",
        "$\\left( = \\right)$",
        "$f(x) = f(x) = $",
        "$\\sum_{k=1} = 2$",
    ]:
        claims = check_note(text)
        assert all(isinstance(c, Claim) for c in claims)


def test_claims_pickle_and_report() -> None:
    claims = check_note("$x + x = 2x$\n$x \\cdot x = 2x$")
    assert pickle.loads(pickle.dumps(claims)) == claims
    report = format_report(claims, "n.md")
    assert "n.md:1: formula verified" in report and "1 verified, 1 refuted" in report
    assert VERIFIER_VERSION


def test_cache_hits_give_the_same_verdicts(tmp_path: Path) -> None:
    cache = VerdictCache(tmp_path / "v.json")
    text = "$\\frac{d}{dx}\\sin(x^2) = \\cos(x^2)$\n$\\int_0^1 x\\,dx = \\frac12$"
    cold = check_note(text, cache=cache)
    cache.save()
    warm_cache = VerdictCache(tmp_path / "v.json")
    warm = check_note(text, cache=warm_cache)
    assert cold == warm and warm_cache.hits == 2 and warm_cache.misses == 0


@pytest.mark.parametrize(
    "true_formula",
    [
        r"$\sqrt{x^2} = x \quad (x > 0)$",
        r"$\int 2\sin x\cos x\,dx = -\cos^2 x + C$",
        r"$\pi = 3.14$",
        r"$\log 100 = 2$",
        r"$f(-x) = f(x)$",
        r"$\lim_{x \to a} g(x) = L$",
    ],
)
def test_prime_rule_true_or_context_dependent_never_refuted(true_formula: str) -> None:
    assert all(c.verdict != "refuted" for c in check_note(true_formula))


@pytest.mark.parametrize(
    "note, verdict",
    [
        # wrong over the reals: refuted at a negative point, never verified on positive samples
        (r"$$\sqrt{x^2} = x$$", "refuted"),
        (r"$$\ln(xy) = \ln x + \ln y$$", "refuted"),
        (r"$$\arccos(\cos x) = x$$", "refuted"),
        (r"$$\frac{d}{dx}\max(0,x) = 1$$", "refuted"),
        # the condition written next to the formula is the domain
        (r"$$\sqrt{x^2} = -x \quad (x<0)$$", "verified"),
        (r"$$\sqrt{x^2} = x \quad (x<0)$$", "refuted"),
        (r"$$\ln(xy) = \ln x + \ln y \quad (x, y > 0)$$", "verified"),
        ("For $x<0$: $\\sqrt{x^2} = -x$", "verified"),
        ("$x$가 양수일 때 $\\sqrt{x^2} = x$ 이다.", "verified"),
        # constants are compared exactly
        (r"$$e^{100}+1 = e^{100}$$", "refuted"),
        (r"$$10^{-30} = 0$$", "refuted"),
        (r"$$2^{100} = 1267650600228229401496703205377$$", "refuted"),
        (r"$$2^{100} = 1267650600228229401496703205376$$", "verified"),
        (r"$$(1+10^{-20})^{10^{20}} = 1$$", "refuted"),
        # matrices named in the prose do not commute
        ("Let $A$, $B$ be matrices.\n\n$$AB = BA$$", "refuted"),
        ("Let $A$, $B$ be matrices.\n\n$$(AB)^{-1} = B^{-1}A^{-1}$$", "verified"),
        ("Let $A$ be a matrix.\n\n$$\\det(-A) = -\\det A$$", "refuted"),
        (r"$$\vec u \times \vec v = \vec v \times \vec u$$", "refuted"),
        # patterns and sums over data
        (r"$$1 + 2 + \cdots + n = \frac{n(n+1)}{2}$$", "verified"),
        (r"$$1 + 3 + \dots + (2n+1) = n^2$$", "refuted"),
        (r"$$\sum_{i=1}^{n} (x_i + 1) = \sum_{i=1}^{n} x_i + 1$$", "refuted"),
    ],
)
def test_soundness_cases(note: str, verdict: str) -> None:
    claims = [c for c in check_note(note) if c.verdict != "definition"]
    assert [c.verdict for c in claims][-1:] == [verdict], [(c.verdict, c.reason) for c in claims]


@pytest.mark.parametrize(
    "note",
    [
        "$f(x) = x^2$. Then $f(x) = x^3$.",  # a restatement is a claim
        "$a = 2$ and later $a = 3$",
        "At $x = 1$, $x^2 = 1$.\n\nLater, $x^2 = x$.",  # the point condition ended with its paragraph  # noqa: E501
    ],
)
def test_note_state_wrong_restatements_refuted(note: str) -> None:
    assert check_note(note)[-1].verdict == "refuted"


@pytest.mark.parametrize(
    "note",
    [
        r"$$U^{k+1} = -\mathcal{D}^{-1}(\mathcal{C}U^k + \mathcal{F}^k)$$",
        r"$$v \cdot w = -v^0w^0 + v^1w^1 + v^2w^2 + v^3w^3$$",
        "Let $G$ be a group and $e$ its identity. Then $a \\cdot e = a$ and $a \\cdot b = b \\cdot a$ need not hold.",  # noqa: E501
        "Suppose $h(x) = h(y)$. Then $x = y$.",
    ],
)
def test_non_claims_neither_verified_nor_refuted(note: str) -> None:
    assert all(c.verdict in ("skipped", "definition") for c in check_note(note)), check_note(note)


def test_hang_is_time_boxed() -> None:
    import time

    t0 = time.monotonic()
    claims = check_note(
        r"$$(1+10^{-20})^{10^{20}} = 1$$ and $$\frac{d}{dx}x^2 = 2x$$", time_limit=1.0
    )
    assert time.monotonic() - t0 < 20
    assert [c.verdict for c in claims] == ["refuted", "verified"]
