"""Helpers the unit and golden tests share: an in-memory vault, and one note rendered the
way its page shows it, through the plugin's own Python-Markdown setup
(`mathvault.vault.extensions`)."""

from __future__ import annotations

from dataclasses import dataclass

from mathvault.vault import convert
from mathvault.vault.extensions import new_markdown
from mathvault.vault.index import VaultIndex


def make_index(files: dict[str, str]) -> VaultIndex:
    """The index of an in-memory vault (every value is a note's or file's text)."""
    index = VaultIndex(list(files), read=lambda p: files[p].encode())
    index.scan_all()
    return index


@dataclass
class Rendered:
    markdown: str  # what the converter hands Python-Markdown
    html: str  # the page body, links and math restored
    ctx: convert.Context


def render_note(index: VaultIndex, path: str, **options) -> Rendered:
    """Note `path` as its page shows it (without the site around it)."""
    ctx = convert.Context(index, path, **options)
    text = convert.convert_note(index.note(path), ctx)
    page_html = new_markdown().convert(text)
    page_html = convert.restore_math(convert.restore_links(page_html, ctx.links), ctx.math)
    return Rendered(text, page_html, ctx)
