"""Results of running a note's snippets, and their JSON form for the cache.

Line numbers inside a result are stored relative to the block (``offset`` =
line within the code, 1-based) so a cached result stays correct when prose
above the block is edited and the block moves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .blocks import Block

# C0 controls but tab and newline, DEL and C1 controls: ANSI escapes, NUL, bells
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Snippet text made safe for the page and the log: control characters shown as ``\\xNN``."""
    text = text.replace("\r\n", "\n")
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


@dataclass
class Frame:
    """One traceback frame; ``block`` is the index of a snippet block or None."""

    file: str
    line: int
    name: str
    text: str = ""
    block: int | None = None


@dataclass
class BlockResult:
    """What one block did: its printed output, figures, files and any error."""

    block: Block
    status: str = "ok"  # ok | error | timeout | killed | skipped | disabled
    stdout: str = ""
    error: str | None = None
    error_offset: int | None = None
    """Line of the failure within the block's code (1-based), if known."""
    frames: list[Frame] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    """Figures captured automatically (shown on the page after the block)."""
    written: list[str] = field(default_factory=list)
    """Files the block saved itself (embedded by the note with ``![[name]]``)."""
    seconds: float = 0.0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    """Python warnings the block raised: ``{"message", "offset"}``, for the build log."""

    @property
    def error_line(self) -> int | None:
        """Line in the note of the failing statement (the fence line if unknown)."""
        if self.status not in ("error", "timeout", "killed"):
            return None
        if self.error_offset is None:
            return self.block.line
        return self.block.line + self.error_offset

    def to_json(self) -> dict[str, Any]:
        """Everything except the block itself (the cache key already pins the code)."""
        return {
            "status": self.status,
            "stdout": self.stdout,
            "error": self.error,
            "error_offset": self.error_offset,
            "frames": [vars(f) for f in self.frames],
            "figures": self.figures,
            "written": self.written,
            "seconds": self.seconds,
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, block: Block, data: dict[str, Any]) -> BlockResult:
        """Rebuild a result for ``block`` from :meth:`to_json` output."""
        return cls(
            block=block,
            status=data["status"],
            stdout=data["stdout"],
            error=data["error"],
            error_offset=data["error_offset"],
            frames=[Frame(**f) for f in data["frames"]],
            figures=list(data["figures"]),
            written=list(data["written"]),
            seconds=float(data["seconds"]),
            warnings=[
                {"message": str(w["message"]), "offset": w["offset"]} for w in data["warnings"]
            ],
        )

    def warning_messages(self) -> list[tuple[int, str]]:
        """(line in the note, ``snippet warning: …``) for each warning the block raised."""
        return [
            (self.block.line + (w["offset"] or 0), f"snippet warning: {w['message']}")
            for w in self.warnings
        ]


@dataclass
class NoteResult:
    """All blocks of one note, whether it came from the cache, and its asset files."""

    note_path: str
    blocks: list[BlockResult]
    cached: bool = False
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no block failed."""
        return all(b.status in ("ok", "disabled") for b in self.blocks)

    def messages(self) -> list[str]:
        """One ``path:LINE: message`` line per failed block, ready to log."""
        return [
            f"{self.note_path}:{b.error_line}: {b.error}"
            for b in self.blocks
            if b.error and b.status != "skipped"
        ]


def format_traceback(result: BlockResult, blocks: list[Block], note_path: str) -> str:
    """Traceback text with snippet frames shown as ``note.md, line N`` (note lines)."""
    out = ["Traceback (most recent call last):"]
    for frame in result.frames:
        if frame.block is not None and 0 <= frame.block < len(blocks):
            where = f'  File "{note_path}", line {blocks[frame.block].line + frame.line}'
        else:
            where = f'  File "{frame.file}", line {frame.line}'
        out.append(f"{where}, in {frame.name}")
        if frame.text:
            out.append(f"    {frame.text}")
    return "\n".join(out) if len(out) > 1 else ""
