"""Generic checks of a built site, true of any vault: what a reader must never see, and
links that must always work. Each returns a list of offences (empty when the site is fine),
so a test can show them all at once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

# Obsidian syntax that must not reach a reader as text, and the admonition markers it is
# converted to. `^id` only as a whole word that follows a space or starts a line (`x^2` in
# prose is no block id), and not in link text: Obsidian itself shows `[[Note#^id]]` as
# "Note > ^id".
RAW_SYNTAX = {
    "[[": re.compile(r"\[\["),
    "![[": re.compile(r"!\[\["),
    "[!type]": re.compile(r"\[![A-Za-z][\w-]*\][+-]?"),
    "^id": re.compile(r"(?:^|(?<=\s))\^[A-Za-z0-9-]+(?=\s|$)"),
    "%%": re.compile(r"%%"),
    "!!! type": re.compile(r"(?m)^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]"),
}
IN_LINK_TEXT_OK = {"^id"}
SKIPPED_DIRS = ("assets/", "search/")  # the theme's files, not pages of the vault
LINK_ATTRS = (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"))
LINK_ATTRS += (("iframe", "src"), ("embed", "src"), ("object", "data"), ("source", "src"))
LINK_ATTRS += (("audio", "src"), ("video", "src"))


def pages(site: Path) -> list[Path]:
    """Every HTML page of the site, the theme's own files left out."""
    return sorted(
        p
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith(SKIPPED_DIRS)
    )


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def reader_text(page: Path, *, links: bool = True) -> str:
    """The page's visible text outside code, math, scripts and styles (and links)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for el in soup.select("code, pre, script, style, template, .arithmatex"):
        el.decompose()
    if not links:
        for el in soup.select("a"):
            el.decompose()
    return soup.get_text("\n")


def raw_syntax(site: Path) -> list[str]:
    """`page: what` for every piece of Obsidian syntax left as text on a page."""
    found = []
    for page in pages(site):
        texts = {True: reader_text(page), False: reader_text(page, links=False)}
        for name, pattern in RAW_SYNTAX.items():
            text = texts[name not in IN_LINK_TEXT_OK]
            for m in pattern.finditer(text):
                around = text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ")
                found.append(f"{page.relative_to(site)}: raw {name}: …{around}…")
    return found


def _ids(page: Path) -> set[str]:
    return {el["id"] for el in _soup(page).select("[id]")} | {
        el["name"] for el in _soup(page).select("a[name]")
    }


def _target(site: Path, page: Path, path: str) -> Path | None:
    """The file a relative URL path of `page` points to, or None outside the site."""
    if path.startswith("/"):  # root-relative, as on 404.html (no site_url): the site root
        target = (site / unquote(path).lstrip("/")).resolve()
    else:
        target = (page.parent / unquote(path)).resolve() if path else page
    if not target.is_relative_to(site.resolve()):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[str]:
    """`page: url` for every href/src that does not reach a file of the site, and every
    #fragment that names no element of its target page."""
    broken = []
    for page in pages(site):
        for tag, attr in LINK_ATTRS:
            for el in _soup(page).find_all(tag):
                url = el.get(attr)
                if not url:
                    continue
                parts = urlsplit(url)
                if parts.scheme or parts.netloc or url.startswith(("mailto:", "data:")):
                    continue
                target = _target(site, page, parts.path)
                where = f"{page.relative_to(site)}: <{tag} {attr}={url!r}>"
                if target is None or not target.is_file():
                    broken.append(f"{where}: no file {target}")
                    continue
                if parts.fragment and target.suffix == ".html":
                    if unquote(parts.fragment) not in _ids(target):
                        broken.append(f"{where}: no #{unquote(parts.fragment)} in {target.name}")
    return broken
