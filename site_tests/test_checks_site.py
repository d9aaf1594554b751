"""Formula checks in a real build: a wrong step is reported with its line, marked on the
page, fails --strict, and a plain build still finishes; an unchanged rebuild checks nothing.
The report surface: ✓/✗ marks with anchors on the formulas, the visible counterexample,
the generated "Formula checks" page and its links, `mathvault check --format json`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_tests.sitebuild import build

NOTE = (
    "---\ntitle: Sigmoid check\n---\n"
    "# Wrong step\n\n"
    "$$\\sigma(z) = \\frac{1}{1+e^{-z}}$$\n\n"
    "- the derivative:\n"
    "\t$$\\sigma^{\\prime}(z) = \\sigma(z)(1+\\sigma(z))$$\n\n"
    "$$\\frac{d}{dx}\\sin(x^2) = 2x\\cos(x^2)$$\n"
)


def test_refuted_formula_is_reported_marked_and_strict_fails(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text(NOTE, encoding="utf-8")
    cache = str(tmp_path / "cache")
    strict = build(
        vault, tmp_path / "strict", plugin={"execute": False, "cache_dir": cache}, strict=True
    )
    assert strict.returncode != 0
    plain = build(vault, tmp_path / "plain", plugin={"execute": False, "cache_dir": cache})
    assert plain.returncode == 0
    [warning] = plain.warnings
    assert re.search(
        r"vault/index\.md:9: formula refuted: \\sigma\^\{\\prime\}\(z\) = .*z\s*=", warning
    )
    soup = BeautifulSoup((plain.site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    marked = soup.select(".arithmatex.mathvault-refuted")
    assert len(marked) == 1 and "1+\\sigma(z)" in marked[0].get_text()
    box = soup.select_one(".mathvault-checks")
    assert box is not None and "1 refuted" in box.get_text() and "1 verified" in box.get_text()
    # a refuted claim keeps the box open: a failure admonition, one row per claim, the
    # wrong claim's row carrying its counterexample; inside the article, after the note
    assert "failure" in box["class"] and box.select_one(".admonition-title") is not None
    rows = [li.get_text() for li in box.select("li")]
    assert any(r.startswith("✘ line 9") and re.search(r"z\s*=", r) for r in rows), rows
    assert box.find_parent("article") is not None
    index = json.loads(
        (plain.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    )
    assert all("Formula check" not in d["text"] for d in index["docs"])  # not the note's text
    assert "1 notes cached" in plain.log  # the second build reused the first one's verdicts


# -- the report surface: marks on formulas, the checks page, the JSON report -----------------
# Claims whose verdicts hold today and tomorrow: two identities and one false derivative.

CALCULUS = (
    "# Calculus\n\n"
    "$$\\frac{d}{dx}x^3 = 3x^2$$\n\n"  # line 3: verified
    "$$\\frac{d}{dx}x^3 = 2x^2$$\n\n"  # line 5: refuted
    "- squares: $$(x+1)^2 = x^2 + 2x + 1$$\n\n"  # line 7: verified, display inside a list item
    "$$\\oint_C z\\,dz = 0$$\n\n"  # line 9: skipped (contour integrals are not modelled)
    "Inline too: $(x+1)^2 = x^2 + 2x + 1$ holds.\n"  # line 11: verified, inline
)
OTHER = "# Other\n\nNo claims here, only $x$.\n"


def _checks_vault(root: Path) -> Path:
    vault = root / "vault"
    (vault / "sub").mkdir(parents=True)
    (vault / "sub" / "Calculus.md").write_text(CALCULUS, encoding="utf-8")
    (vault / "Other.md").write_text(OTHER, encoding="utf-8")
    return vault


def _formula(soup: BeautifulSoup, tex: str):
    [node] = [n for n in soup.select(".arithmatex") if tex in n.get_text()]
    return node


def _mark_of(node):
    """The ✓/✗ that belongs to a formula: in its .mathvault-checked wrapper (display) or
    right after it (inline)."""
    wrapper = node.parent if "mathvault-checked" in (node.parent.get("class") or []) else None
    if wrapper is not None:
        return wrapper.select_one(".mathvault-mark")
    after = node.find_next_sibling()
    return after if after is not None and "mathvault-mark" in (after.get("class") or []) else None


def test_marks_anchors_and_checks_page(tmp_path: Path) -> None:
    vault = _checks_vault(tmp_path)
    site = build(
        vault, tmp_path / "out", plugin={"execute": False, "cache_dir": str(tmp_path / "cache")}
    )
    assert site.returncode == 0, site.log
    [warning] = site.warnings  # the refuted step, and nothing else
    assert "vault/sub/Calculus.md:5: formula refuted" in warning
    assert not (vault / "formula-checks.md").exists() and sorted(
        p.name for p in vault.rglob("*")
    ) == ["Calculus.md", "Other.md", "sub"]  # nothing written into the vault

    note = BeautifulSoup(site.page("sub/Calculus/index.html"), "html.parser")
    verified = [
        _formula(note, "3x^2\\]"),
        _formula(note, "\\[(x+1)^2"),
        _formula(note, "\\((x+1)^2"),
    ]
    for node in verified:
        mark = _mark_of(node)
        assert node.get("id", "").startswith("mathvault-formula-"), node
        assert mark is not None and mark.get_text() == "✓"
        assert "mathvault-mark-verified" in mark["class"]
        assert "verified" in mark["title"] and "assumptions:" in mark["title"]
        assert mark.find_parent(class_="arithmatex") is None  # MathJax never sees the mark
    assert [n["id"] for n in verified] == [
        "mathvault-formula-3",
        "mathvault-formula-7",
        "mathvault-formula-11",
    ]
    refuted = _formula(note, "2x^2")
    assert refuted["id"] == "mathvault-formula-5" and "mathvault-refuted" in refuted["class"]
    mark = _mark_of(refuted)
    assert mark.get_text() == "✗" and "refuted" in mark["title"]
    shown = refuted.parent.select_one(".mathvault-counterexample")  # visible text, not a tooltip
    assert shown is not None and shown.find_previous_sibling(class_="arithmatex") is refuted
    assert re.search(r"counterexample: .*x\s*=", shown.get_text())
    skipped = _formula(note, "\\oint")
    assert skipped["id"] == "mathvault-formula-9" and _mark_of(skipped) is None
    assert "mathvault-checked" not in (skipped.parent.get("class") or [])
    assert len(note.select("article .mathvault-mark")) == 4
    # the check box links each row to its formula and the box to the checks page
    box = note.select_one(".mathvault-checks")
    assert {a["href"] for a in box.select("li a")} == {
        f"#mathvault-formula-{n}" for n in (3, 5, 7, 9, 11)
    }
    assert box.select_one(".mathvault-checks-link a")["href"] == "../../formula-checks/"

    # marks and counterexamples are not the note's text: search does not index them
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"])
    assert "✓" not in text and "✗" not in text and "counterexample" not in text

    # the checks page: in the navigation of every page, every verdict grouped by note,
    # each entry linking to its formula's anchor on the note's page
    for page in ("index.html", "Other/index.html", "sub/Calculus/index.html"):
        soup = BeautifulSoup(site.page(page), "html.parser")
        assert any(
            a.get_text(strip=True) == "Formula checks" for a in soup.select("nav.md-nav a")
        ), page
    checks = BeautifulSoup(site.page("formula-checks/index.html"), "html.parser")
    article = checks.select_one("article")
    assert article.h1.get_text() == "Formula checks"
    assert "3 verified, 1 refuted, 1 skipped, in 1 note" in article.get_text()
    [heading] = article.select("h2.mathvault-checks-note")
    assert heading.get_text() == "Calculus" and heading.a["href"] == "../sub/Calculus/"
    entries = article.select("li")
    verdicts = [e["class"][0].removeprefix("mathvault-verdict-") for e in entries]
    assert sorted(verdicts) == ["refuted", "skipped", "verified", "verified", "verified"]
    for entry in entries:
        href = entry.a["href"]
        page, _, anchor = href.partition("#")
        target = (site.site_dir / "formula-checks" / page / "index.html").resolve()
        formula = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser").find(id=anchor)
        assert formula is not None and "arithmatex" in formula["class"], href
        tex = entry.code.get_text().replace(" ", "")
        assert tex.split("=")[0] in formula.get_text().replace(" ", ""), (href, tex)
    refuted_entry = article.select_one("li.mathvault-verdict-refuted")
    assert refuted_entry.a["href"] == "../sub/Calculus/#mathvault-formula-5"
    assert re.search(r"x\s*=", refuted_entry.get_text())


def test_checks_page_can_be_turned_off(tmp_path: Path) -> None:
    vault = _checks_vault(tmp_path)
    site = build(
        vault,
        tmp_path / "out",
        plugin={"execute": False, "checks_page": False, "cache_dir": str(tmp_path / "cache")},
    )
    assert site.returncode == 0, site.log
    assert not (site.site_dir / "formula-checks").exists()
    note = BeautifulSoup(site.page("sub/Calculus/index.html"), "html.parser")
    assert note.select_one(".mathvault-checks-link") is None
    assert len(note.select(".mathvault-mark")) == 4  # the marks stay


def test_cli_json_agrees_with_the_site(tmp_path: Path) -> None:
    """`mathvault check --format json`: records valid against the shipped schema, exit 1
    with a refuted claim and 0 without; the refuted record points at the marked formula."""
    from importlib import resources

    import jsonschema

    schema = json.loads(
        (resources.files("mathvault") / "claim_schema.json").read_text(encoding="utf-8")
    )
    _checks_vault(tmp_path)

    def check(*paths: str) -> tuple[int, list[dict]]:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "mathvault.cli",
                "check",
                *paths,
                "--format",
                "json",
                "--no-execute",
                "--jobs",
                "1",
                "--cache",
                str(tmp_path / "cache"),
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        recs = [json.loads(line) for line in proc.stdout.splitlines()]
        for rec in recs:
            jsonschema.validate(rec, schema)
        return proc.returncode, recs

    status, recs = check("vault")
    assert status == 1
    [wrong] = [r for r in recs if r["verdict"] == "refuted"]
    assert (wrong["file"], wrong["line"]) == ("vault/sub/Calculus.md", 5)
    assert sorted(r["line"] for r in recs if r["verdict"] == "verified") == [3, 7, 11]
    status, recs = check("vault/Other.md")
    assert status == 0 and recs == []


# -- in a browser: MathJax still typesets every formula, the marks are seen in both schemes --

PALETTE = [
    {
        "media": "(prefers-color-scheme: light)",
        "scheme": "default",
        "toggle": {"icon": "material/weather-night", "name": "Dark"},
    },
    {
        "media": "(prefers-color-scheme: dark)",
        "scheme": "slate",
        "toggle": {"icon": "material/weather-sunny", "name": "Light"},
    },
]


@pytest.fixture(scope="module")
def checks_site(tmp_path_factory):
    from site_tests.conftest import _serve

    root = tmp_path_factory.mktemp("checks-site")
    vault = _checks_vault(root)

    def make(origin: str) -> None:
        site = build(
            vault,
            root,
            plugin={"execute": False, "cache_dir": str(root / "cache")},
            theme={"name": "material", "features": ["navigation.instant"], "palette": PALETTE},
            extra={"site_url": origin + "/"},
        )
        assert site.returncode == 0, site.log

    yield from _serve(root / "site", make)


_CONTRAST = """(el) => {
    const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => {
        const [r, g, b] = c.map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let bg = null;
    for (let n = el; n && !bg; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c && !c.startsWith("rgba(0, 0, 0, 0)") && c !== "transparent") bg = c;
    }
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg || "rgb(255,255,255)"))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_marks_in_the_browser(checks_site, visit_factory, scheme, screenshot_dir) -> None:
    visit = visit_factory(checks_site, color_scheme=scheme)
    page = visit.page
    page.goto(checks_site.url("sub/Calculus/"))
    visit.wait_for_math()
    report = visit.math_report()
    assert report["errors"] == [] and report["raw"] == [] and report["empty"] == 0, report
    assert report["rendered"] == report["math"] == 5
    want = "slate" if scheme == "dark" else "default"
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == want
    page.screenshot(path=str(screenshot_dir / f"checks-{scheme}.png"), full_page=True)

    for anchor in ("mathvault-formula-3", "mathvault-formula-7", "mathvault-formula-5"):
        formula = page.locator(f"#{anchor} mjx-container")
        mark = page.locator(f"#{anchor} ~ .mathvault-mark")
        assert mark.is_visible(), anchor
        f, m = formula.bounding_box(), mark.bounding_box()
        assert m["x"] >= f["x"] + f["width"] - 1, (anchor, f, m)  # beside it, on the right
        assert m["y"] < f["y"] + f["height"] and m["y"] + m["height"] > f["y"], (anchor, f, m)
        assert mark.evaluate(_CONTRAST) >= 3, (anchor, scheme)
    inline = page.locator("#mathvault-formula-11 + .mathvault-mark")
    assert inline.is_visible() and inline.evaluate(_CONTRAST) >= 3
    counter = page.locator("#mathvault-formula-5 ~ .mathvault-counterexample")
    assert counter.is_visible() and re.search(r"x\s*=", counter.inner_text())
    f = page.locator("#mathvault-formula-5 mjx-container").bounding_box()
    assert counter.bounding_box()["y"] >= f["y"] + f["height"] - 1  # under the formula
    assert counter.evaluate(_CONTRAST) >= 3
    assert "assumptions" in page.locator("#mathvault-formula-3 ~ .mathvault-mark").get_attribute(
        "title"
    )
    assert page.locator("#mathvault-formula-9 ~ .mathvault-mark").count() == 0  # skipped: no mark

    # the checks page, reached from the navigation; its link lands on the formula
    page.locator("nav.md-nav a", has_text="Formula checks").first.click()
    page.wait_for_url("**/formula-checks/")
    page.locator("li.mathvault-verdict-refuted a").click()
    page.wait_for_url("**/sub/Calculus/#mathvault-formula-5")
    visit.wait_for_math(path=page.evaluate("() => location.pathname"))
    target = page.locator("#mathvault-formula-5")
    assert target.is_visible() and "2x^2" in target.get_attribute("data-mathvault-tex")
