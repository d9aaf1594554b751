"""Korean search that finds compounds: sub-words of Hangul words in Material's index.

Material's search (lunr) matches every query word as a prefix of an indexed word, so
`미분` finds `미분은` and `미분계수` but not `편미분` or `전미분`: Korean writes compounds
as one word, and lunr has no Korean morphology. Here each Hangul word of three or more
syllables gives its suffixes of two or more (`편미분` → `미분`; `미분계수를` → `분계수를`,
`계수를`, `수를`); a prefix of a suffix is any part of the word, so a query now finds
it anywhere inside a word, as Obsidian's own search does.

The suffixes go into a field of their own, `subwords`, which the index's config declares
with a low boost: Material's worker builds its lunr fields from that config, shows and
highlights only title, text and tags, so the reader never sees the field, and a note
where the query is a whole word (or its start) ranks above one that only contains it
inside a compound. English and other scripts are untouched.

`add_subwords` rewrites `search/search_index.json` after the search plugin wrote it
and before Material's offline plugin inlines it (`search_index.js`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

FIELD = "subwords"
BOOST = 0.2  # text is 1, titles 1000: a word inside a compound ranks below a whole word
MIN_WORD = 3  # syllables: a two-syllable word has no suffix worth indexing
MIN_PART = 2  # a one-syllable suffix (`분`) would match far too much
MAX_WORD = 12  # longer runs are not words; their first MAX_WORD syllables are used

_HANGUL_WORD = re.compile(r"[가-힣]{%d,}" % MIN_WORD)
_TAG = re.compile(r"<[^>]*>")


def subwords(text: str) -> str:
    """The suffixes of the Hangul words of `text` (HTML allowed), each once, by first use."""
    seen: dict[str, None] = {}
    for match in _HANGUL_WORD.finditer(_TAG.sub(" ", text)):
        word = match.group()[:MAX_WORD]
        for start in range(1, len(word) - MIN_PART + 1):
            seen.setdefault(word[start:], None)
    return " ".join(seen)


def add_subwords(index: dict) -> dict:
    """Material's search index (the parsed JSON) with a `subwords` field on every doc
    whose title or text has a Hangul word of MIN_WORD or more syllables."""
    fields = index.setdefault("config", {}).setdefault("fields", {})
    fields[FIELD] = {"boost": BOOST}
    for doc in index.get("docs", []):
        found = subwords(f"{doc.get('title', '')} {doc.get('text', '')}")
        if found:
            doc[FIELD] = found
        else:
            doc.pop(FIELD, None)
    return index


def rewrite_index(site_dir: Path) -> tuple[int, int] | None:
    """Add the sub-words to `site_dir/search/search_index.json`; its size before and after,
    or None when the site has no search index (no search plugin)."""
    file = Path(site_dir) / "search" / "search_index.json"
    try:
        before = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    index = add_subwords(json.loads(before))
    # As Material writes it (compact, ASCII), so sizes differ by the sub-words alone.
    after = json.dumps(index, separators=(",", ":"))
    file.write_text(after, encoding="utf-8")
    return len(before.encode()), len(after.encode())
