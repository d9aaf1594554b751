"""What the formula checker's verdicts look like on the site: the box under each note, the
✓/✗ marks beside formulas, the "Formula checks" page.

The checking itself (worker processes, stored verdicts) is `verify.pool`; this module
only turns claims (plain dicts) into HTML and problems, and takes every input as an
argument. Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..problems import Problem


def refuted_problems(claims: list[dict], path: str) -> list[Problem]:
    """One problem per refuted claim of note `path`."""
    problems = []
    for c in claims:
        if c["verdict"] == "refuted":
            detail = f" ({c['counterexample']})" if c.get("counterexample") else ""
            problems.append(
                Problem(
                    path,
                    c["line"],
                    f"formula refuted: {c['latex'].strip()}{detail}; "
                    "fix the step or mark it %% verify: off %%",
                )
            )
    return problems


def page_report(
    claims: list[dict], anchors: dict[int, str] | None = None, checks_url: str | None = None
) -> str:
    """The box listing every verdict of a page's `claims`, as HTML (what admonition /
    details would make of it, without a Markdown pass): it is added after the search
    plugin read the page, like the backlinks. A row links to its formula (`anchors`:
    claim position -> id); the box links to the checks page."""
    anchors = anchors or {}
    numbered = [(pos, c) for pos, c in enumerate(claims) if c["verdict"] != "definition"]
    claims = [c for _, c in numbered]
    if not claims:
        return ""
    refuted = [c for c in claims if c["verdict"] == "refuted"]
    verified = sum(c["verdict"] == "verified" for c in claims)
    skipped = len(claims) - verified - len(refuted)
    title = f"Formula check: {verified} verified, {len(refuted)} refuted, {skipped} skipped"
    rows = []
    for pos, c in numbered:
        symbol = {"verified": "✔", "refuted": "✘", "skipped": "–"}.get(c["verdict"], "?")
        why = c.get("counterexample") or c.get("reason") or ""
        latex = html.escape(" ".join(c["latex"].split()))
        where = f"line {c['line']}"
        if pos in anchors:
            where = f'<a href="#{anchors[pos]}">{where}</a>'
        rows.append(f"<li>{symbol} {where}: <code>{latex}</code> — {html.escape(why)}</li>")
    body = "<ul>\n" + "\n".join(rows) + "\n</ul>"
    if checks_url is not None:
        body += (
            f'\n<p class="mathvault-checks-link"><a href="{html.escape(checks_url, quote=True)}">'
            "Every formula check of the vault</a></p>"
        )
    if refuted:  # open, as a failure admonition
        return (
            f'<div class="admonition failure mathvault-checks">\n'
            f'<p class="admonition-title">{title}</p>\n{body}\n</div>\n'
        )
    return (
        f'<details class="success mathvault-checks">\n<summary>{title}</summary>\n'
        f"{body}\n</details>\n"
    )


# -- the report surface: JSON records, marks on the page, the checks page ----------------

CHECKS_PAGE = "formula-checks.md"  # generated into the site (never into the vault)
_PAGE_SLOT = "<!-- mathvault: the vault's formula checks -->"
_FLAG = "mathvault-formula:"  # restore_math's title for a formula we mark, rewritten below
_FLAGGED = re.compile(
    r'<(div|span) class="([^"]*)" title="' + _FLAG + r'(\d+)">(.*?)</\1>', re.DOTALL
)
_MARK_SLOT = re.compile(r"<!--mathvault:mark (\d+)-->")
_SYMBOL = {"verified": "✓", "refuted": "✗"}


@dataclass
class Mark:
    """A formula of the page holding checked claims: its anchor id and those claims."""

    anchor: str
    claims: list[dict] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """What the reader sees: ✗ if any claim is refuted, else ✓ if any is verified."""
        verdicts = {c["verdict"] for c in self.claims}
        return next((v for v in ("refuted", "verified") if v in verdicts), "skipped")


def how_checked(claim: dict) -> str:
    """ "method: reason", without saying the method twice (reasons often start with it)."""
    method, reason = claim.get("method") or "", claim.get("reason") or ""
    if method and not reason.lower().startswith(method.lower()):
        return f"{method}: {reason}"
    return reason


def _squash(latex: str) -> str:
    return "".join(latex.split()).replace("&", "")


def formula_marks(
    claims: list[dict],
    path: str,
    math_lines: list[tuple[str, int, int]],
    math: list[tuple[str, bool]],
) -> tuple[dict[int, Mark], dict[int, str]]:
    """Which formula of the page each claim of note `path` is about.

    `math_lines[i]` is (note, first line, last line) of the page's formula i (convert.py's
    placeholders; formulas of embedded notes belong to those notes and are left alone).
    A claim belongs to the formula spanning its line; where several formulas share the
    line, the one whose TeX contains the claim's, then the claim's `block` number decide.
    Returns formula number -> Mark, and claim position -> anchor id (for the links).
    Anchor ids name the formula's first line (`mathvault-formula-12`, then `-12-2` for a
    second formula starting on line 12): a link says where the formula is in the note."""
    own = [i for i, (note, _, _) in enumerate(math_lines) if note == path]
    anchors: dict[int, str] = {}
    seen: dict[int, int] = {}
    for i in own:
        first = math_lines[i][1]
        seen[first] = seen.get(first, 0) + 1
        anchors[i] = f"mathvault-formula-{first}" + (f"-{seen[first]}" if seen[first] > 1 else "")
    use_block = any(c.get("block") for c in claims)  # else the checker did not number them
    ordinal = {i: k for k, i in enumerate(own)}
    on_line: dict[int, list[int]] = {}  # note line -> the formulas spanning it
    for i in own:
        for line in range(math_lines[i][1], math_lines[i][2] + 1):
            on_line.setdefault(line, []).append(i)
    marks: dict[int, Mark] = {}
    claim_anchor: dict[int, str] = {}
    for pos, c in enumerate(claims):
        if c["verdict"] == "definition":
            continue
        found = on_line.get(c["line"], [])
        if len(found) > 1:
            want = _squash(c["latex"])
            found = [i for i in found if want and want in _squash(math[i][0])] or found
        if len(found) > 1 and use_block:
            found = [i for i in found if ordinal[i] == c.get("block")] or found
        for i in found:
            marks.setdefault(i, Mark(anchors[i])).claims.append(c)
        if found:
            claim_anchor[pos] = anchors[found[0]]
    return marks, claim_anchor


def mark_flags(marks: dict[int, Mark]) -> dict[int, str]:
    """The `flags` for convert.restore_math: it tags each marked formula, `place_marks`
    then finds the tag and puts the anchor, the class and the slot for the mark there."""
    return {i: f"{_FLAG}{i}" for i in marks}


def place_marks(page_html: str, marks: dict[int, Mark]) -> str:
    """Give each marked formula its anchor id and a slot for its ✓/✗ (an HTML comment, so
    search does not index the mark; `fill_marks` fills it after search read the page).
    A display formula is wrapped in `.mathvault-checked`, which places the mark at its right
    and the counterexample under it; an inline formula's mark follows it."""

    def one(m: re.Match[str]) -> str:
        tag, i, body = m.group(1), int(m.group(3)), m.group(4)
        classes = [k for k in m.group(2).split() if k != "mathvault-refuted"]
        mark = marks.get(i)
        if mark is None:
            return f'<{tag} class="{" ".join(classes)}">{body}</{tag}>'
        if mark.verdict == "refuted":
            classes.append("mathvault-refuted")
        formula = f'<{tag} class="{" ".join(classes)}" id="{mark.anchor}">{body}</{tag}>'
        if mark.verdict == "skipped":
            return formula  # an anchor for the checks page, no mark
        slot = f"<!--mathvault:mark {i}-->"
        if tag == "span" and "mathvault-display" not in classes:
            return formula + slot
        checked = f"mathvault-checked mathvault-checked-{mark.verdict}"
        return f'<{tag} class="{checked}">{formula}{slot}</{tag}>'

    return _FLAGGED.sub(one, page_html)


def mark_html(mark: Mark) -> str:
    """The ✓ (title: how each claim was checked, under which assumptions) or the ✗ with
    its counterexample as visible text."""
    lines = []
    for c in mark.claims:
        assumed = ", ".join(c.get("assumptions") or ()) or "none"
        lines.append(f"line {c['line']}: {c['verdict']}: {how_checked(c)} (assumptions: {assumed})")
    verdict = mark.verdict
    title = html.escape("\n".join(lines), quote=True)
    out = (
        f'<span class="mathvault-mark mathvault-mark-{verdict}" title="{title}" '
        f'role="img" aria-label="formula {verdict}">{_SYMBOL[verdict]}</span>'
    )
    if verdict == "refuted":
        shown = [
            c.get("counterexample") or c.get("reason") or ""
            for c in mark.claims
            if c["verdict"] == "refuted"
        ]
        out += (
            f'<span class="mathvault-counterexample">Refuted, counterexample: '
            f"{html.escape('; '.join(shown))}</span>"
        )
    return out


def fill_marks(page_html: str, marks: dict[int, Mark]) -> str:
    """Put the marks into the slots `place_marks` left."""

    def one(m: re.Match[str]) -> str:
        mark = marks.get(int(m.group(1)))
        return mark_html(mark) if mark is not None else ""

    return _MARK_SLOT.sub(one, page_html)


def checks_page_markdown() -> str:
    return f"# Formula checks\n\n{_PAGE_SLOT}\n"


def fill_checks_page(
    page_html: str, notes: list[tuple[str, str, list[tuple[dict, str | None]]]]
) -> str:
    """The checks page: every verdict of the vault, grouped by note. `notes` holds
    (note title, URL of the note relative to this page, [(claim, anchor id or None)])."""
    counts = {"verified": 0, "refuted": 0, "skipped": 0}
    parts = []
    for title, url, claims in notes:
        rows = []
        for c, anchor in claims:
            counts[c["verdict"]] = counts.get(c["verdict"], 0) + 1
            where = f"line {c['line']}"
            if anchor:
                where = f'<a href="{html.escape(url + "#" + anchor, quote=True)}">{where}</a>'
            detail = c.get("counterexample") or how_checked(c)
            assumed = ", ".join(c.get("assumptions") or ())
            if assumed:
                detail += f"; assuming {assumed}"
            rows.append(
                f'<li class="mathvault-verdict-{c["verdict"]}">'
                f"{_SYMBOL.get(c['verdict'], '–')} {where}: {c['verdict']} "
                f"<code>{html.escape(' '.join(c['latex'].split()))}</code> — "
                f"{html.escape(detail)}</li>"
            )
        parts.append(
            f'<h2 class="mathvault-checks-note"><a href="{html.escape(url, quote=True)}">'
            f'{html.escape(title)}</a></h2>\n<ul class="mathvault-checks-list">\n'
            + "\n".join(rows)
            + "\n</ul>"
        )
    plural = "" if len(notes) == 1 else "s"
    summary = (
        f'<p class="mathvault-checks-summary">{counts["verified"]} verified, '
        f"{counts['refuted']} refuted, {counts['skipped']} skipped, "
        f"in {len(notes)} note{plural}.</p>"
    )
    if not notes:
        summary = '<p class="mathvault-checks-summary">No formula of the vault states a claim.</p>'
    return page_html.replace(f"<p>{_PAGE_SLOT}</p>", _PAGE_SLOT).replace(
        _PAGE_SLOT, summary + "\n" + "\n".join(parts), 1
    )
