"""Read a vault file into text the way Obsidian would show it, and say what was wrong.

Obsidian opens nearly anything: a UTF-8 BOM, CRLF or lone-CR line endings, even stray
invalid bytes (shown as replacement characters). MkDocs instead stops the whole build
with a UnicodeDecodeError, so every note goes through `decode_note` first.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from ..syntax import placeholders

_PLACEHOLDERS = placeholders.ANY


@dataclass
class Decoded:
    text: str
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    binary: bool = False


def _line_of_byte(raw: bytes, pos: int) -> int:
    head = raw[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def decode_note(raw: bytes) -> Decoded:
    """Decode a note's bytes to text with "\\n" line endings; never raises."""
    problems: list[tuple[int, str]] = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
        problems.append((1, "note is UTF-16; read it as such (save it as UTF-8 to silence this)"))
    elif b"\x00" in raw[:8192]:
        return Decoded(
            "", [(1, "this is a binary file, not a Markdown note: nothing published")], True
        )
    else:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                (
                    _line_of_byte(raw, exc.start),
                    f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; shown as \ufffd "
                    "(re-save the note as UTF-8)",
                )
            )
            text = raw.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Characters we use as private placeholders (math, links) must not come from the note.
    if _PLACEHOLDERS.search(text):
        text = _PLACEHOLDERS.sub("\ufffd", text)
    return Decoded(text, problems)
