"""Read a vault file into text the way Obsidian would show it, and say what was wrong.

Obsidian opens nearly anything: a UTF-8 BOM, CRLF or lone-CR line endings, even stray
invalid bytes (shown as replacement characters) and NUL bytes. MkDocs instead stops the
whole build with a UnicodeDecodeError, so every note goes through `decode_note` first.
Only a file that really is binary (an image saved as `.md`) is refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..syntax import placeholders

_PLACEHOLDERS = placeholders.ANY
# C0 control characters other than tab and line ends: NUL, and STX/ETX that Python-Markdown
# uses for its own placeholders; shown as U+FFFD, like any other byte that is not text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Files that start like these are pictures, archives or documents, whatever their name.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x7fELF",
    b"\x1f\x8b",
    b"RIFF",
    b"OggS",
    b"ID3",
)


@dataclass
class Decoded:
    text: str
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    binary: bool = False


def _line_of_byte(raw: bytes, pos: int) -> int:
    head = raw[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _is_binary(head: bytes) -> bool:
    """A picture or program, not a note with a stray NUL: control bytes, and either a known
    file signature or, with the bytes that are not UTF-8, more than a tenth of the start."""
    if not _CONTROL_BYTES.search(head):
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    junk = len(_CONTROL_BYTES.findall(head))
    junk += head.decode("utf-8", errors="replace").count("\ufffd")
    return junk >= 4 and junk * 10 > len(head)


def decode_note(raw: bytes) -> Decoded:
    """Decode a note's bytes to text with "\\n" line endings; never raises."""
    problems: list[tuple[int, str]] = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
        problems.append((1, "note is UTF-16; read it as such (save it as UTF-8 to silence this)"))
    elif _is_binary(raw[:8192]):
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
    bad = _CONTROL.search(text)
    if bad:
        count = len(_CONTROL.findall(text))
        head = text[: bad.start()]
        line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
        problems.append(
            (
                line,
                ("NUL" if bad.group() == "\x00" else "control")
                + f" byte 0x{ord(bad.group()):02x}"
                + (f" (and {count - 1} more)" if count > 1 else "")
                + " in the text; shown as \ufffd (remove it from the note)",
            )
        )
        text = _CONTROL.sub("\ufffd", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Characters we use as private placeholders (math, links) must not come from the note.
    if _PLACEHOLDERS.search(text):
        text = _PLACEHOLDERS.sub("\ufffd", text)
    return Decoded(text, problems)
