"""The hostile-vault corpus: every bad input mathvault must survive, and what it must do.

Most of these files cannot be committed as they are (pipes, symlinks, a file name that is
not UTF-8, a 20 MB note), so the corpus is data: `CASES` lists, per case, the files to
create (relative to the vault, under a folder named after the case) and the behaviour
the build must show:

* `warns`: (file, line, regex) for every warning the case must give, as
  `<vault>/<file>:<line>: <problem>` (or one regex for the whole `<file>:<line>: <problem>`);
  a case with no `warns` must stay silent, and any warning about one of its files that is
  not listed fails the test;
* `shows` / `hides`: text that must / must not be in the named page's HTML;
* `absent`: site paths (globs) that must not exist.

`materialize(cases, vault)` writes a vault; `OUTSIDE_TOKEN` marks every file placed
outside it, so a test can prove none of them was read into the site.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

OUTSIDE_TOKEN = "OUTSIDE-THE-VAULT-7f3a"  # text of every file outside the vault


@dataclass(frozen=True)
class Fifo:
    """A named pipe: opening it for reading would block the build forever."""


@dataclass(frozen=True)
class Symlink:
    target: str  # as written into the link, relative to the link's folder


@dataclass(frozen=True)
class Generated:
    """Content too big to keep in memory twice: made when the vault is written."""

    make: Callable[[], bytes]
    what: str


Content = str | bytes | Fifo | Symlink | Generated


@dataclass
class Case:
    id: str
    group: str
    files: dict[str | bytes, Content]  # bytes key = a file name that is not UTF-8
    warns: list[tuple[str, int | str, str] | str] = field(default_factory=list)
    shows: dict[str, list[str]] = field(default_factory=dict)  # page src path -> texts
    hides: dict[str, list[str]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    why: str = ""


def _big_note() -> bytes:
    """About 20 MB of prose (Korean and English) with math, a link and a heading now and then."""
    para = (
        "Gradient descent moves against the gradient $\\nabla f$, see [[big/twenty-mb]]. "
        + "경사하강법은 손실을 줄이는 방향으로 조금씩 움직인다. " * 12
        + "The step size matters a lot in practice. " * 8
        + "\n\n"
    )
    count = 20 * 1024 * 1024 // len(para.encode()) + 1
    body = "".join((f"## Part {i // 200}\n\n" if i % 200 == 0 else "") + para for i in range(count))
    return (body + "END-OF-BIG-NOTE\n").encode()


def _many_lines() -> bytes:
    """50 000 short lines: paragraphs of nine lines, some math, a list item every 1000."""
    lines = []
    for i in range(50_000):
        if i % 1000 == 999:
            lines.append(f"- item {i}")
        elif i % 10 == 9:
            lines.append("")
        else:
            lines.append(f"line {i} with $a_{{{i}}}$" if i % 100 == 0 else f"line {i}")
    return ("\n".join(lines) + "\n\nEND-OF-50K\n").encode()


def _long_lines() -> bytes:
    one_mb = ("word " * 209_716)[: 1 << 20]
    return (
        f"{one_mb}\n\n{'$x$ ' * 262_144}\n\n{'[[' * 10_000}{one_mb[:100_000]}\n\n"
        f"{'[[big/lines]] ' * 50_000}\n\nEND-OF-LONG\n"
    ).encode()  # one paragraph of 50 000 links


def _nested_lists() -> bytes:
    return (
        "".join("    " * i + f"- level {i}\n" for i in range(100)) + "\nEND-OF-LISTS\n"
    ).encode()


def _nested_callouts() -> bytes:
    lines = [">" * (i + 1) + f" [!note] Level {i}" for i in range(100)]
    lines.append(">" * 100 + " deepest $e^{i\\pi}$")
    return ("\n".join(lines) + "\n\nEND-OF-CALLOUTS\n").encode()


def _nested_quotes() -> bytes:
    return ("> " * 100 + "quoted deep\n\nEND-OF-QUOTES\n").encode()


_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)

_ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)

KOREAN = "미분"  # the same name, once NFC and once NFD (as macOS writes it)

CASES: list[Case] = [
    # -- frontmatter -------------------------------------------------------------------
    Case(
        "fm-tab",
        "text",
        {"fm-tab/note.md": "---\ntitle: ok\n\tbad: tab\n---\nBODY-FM-TAB\n"},
        warns=[("fm-tab/note.md", 3, r"bad frontmatter YAML.*properties ignored")],
        shows={"fm-tab/note.md": ["BODY-FM-TAB"]},
    ),
    Case(
        "fm-quote",
        "text",
        {"fm-quote/note.md": '---\ntitle: "never closed\nx: 1\n---\nBODY-FM-QUOTE\n'},
        warns=[("fm-quote/note.md", r"\d+", r"bad frontmatter YAML")],
        shows={"fm-quote/note.md": ["BODY-FM-QUOTE"]},
    ),
    Case(
        "fm-list",
        "text",
        {"fm-list/note.md": "---\n- a\n- b\n---\nBODY-FM-LIST\n"},
        warns=[("fm-list/note.md", 2, r"must be a map.*not a list")],
        shows={"fm-list/note.md": ["BODY-FM-LIST"]},
    ),
    Case(
        "fm-open",
        "text",
        {"fm-open/note.md": "---\ntitle: x\n\nBODY-FM-OPEN\n"},
        warns=[("fm-open/note.md", 1, r"never closed")],
        shows={"fm-open/note.md": ["BODY-FM-OPEN"]},
    ),
    Case(
        "fm-date",
        "text",
        {"fm-date/note.md": "---\ncreated: 2023-02-30\n---\nBODY-FM-DATE\n"},
        warns=[("fm-date/note.md", 2, r"bad frontmatter.*day is out of range")],
        shows={"fm-date/note.md": ["BODY-FM-DATE"]},
    ),
    Case(
        "fm-python",
        "text",
        {
            "fm-python/note.md": "---\nx: !!python/object/apply:os.mkdir [PWNED-BY-YAML]\n"
            "y: !!python/name:os.system\n---\nBODY-FM-PY\n"
        },
        warns=[("fm-python/note.md", 2, r"bad frontmatter YAML.*constructor")],
        shows={"fm-python/note.md": ["BODY-FM-PY"]},
        why="the tag must never run: no PWNED-BY-YAML folder may appear",
    ),
    Case(
        "fm-bomb",
        "text",
        {"fm-bomb/note.md": f"---\n{_ALIAS_BOMB}\n---\nBODY-FM-BOMB\n"},
        warns=[("fm-bomb/note.md", 2, r"too much data")],
        shows={"fm-bomb/note.md": ["BODY-FM-BOMB"]},
    ),
    # -- unclosed syntax -----------------------------------------------------------------
    Case(
        "open-math",
        "text",
        {"open-math/note.md": "Before.\n\n$$\nx^2 + OPEN-MATH\n"},
        warns=[("open-math/note.md", 3, r"'\$\$' math block is never closed")],
        shows={"open-math/note.md": ["OPEN-MATH"]},
    ),
    Case(
        "open-fence",
        "text",
        {"open-fence/note.md": "Before.\n\n```python\nprint('OPEN-FENCE')\n"},
        warns=[("open-fence/note.md", 3, r"code fence is never closed")],
        shows={"open-fence/note.md": ["OPEN-FENCE"]},
    ),
    Case(
        "open-link",
        "text",
        {
            "open-link/note.md": "See [[open-link/other\nand OPEN-LINK.\n",
            "open-link/other.md": "other\n",
        },
        warns=[("open-link/note.md", 1, r"'\[\[' is never closed")],
        shows={"open-link/note.md": ["OPEN-LINK"]},
    ),
    Case(
        "open-embed",
        "text",
        {"open-embed/note.md": "OPEN-EMBED ![["},
        warns=[("open-embed/note.md", 1, r"'!\[\[' is never closed")],
        shows={"open-embed/note.md": ["OPEN-EMBED"]},
    ),
    Case(
        "open-comment",
        "text",
        {"open-comment/note.md": "SHOWN-TEXT\n\n%% hidden\n\nHIDDEN-TEXT\n"},
        warns=[("open-comment/note.md", 3, r"'%%' comment is never closed")],
        shows={"open-comment/note.md": ["SHOWN-TEXT"]},
        hides={"open-comment/note.md": ["HIDDEN-TEXT"]},
    ),
    # -- embed cycles and depth --------------------------------------------------------------
    Case(
        "self-embed",
        "text",
        {"self-embed/me.md": "SELF-TEXT\n\n![[self-embed/me]]\n"},
        warns=[("self-embed/me.md", 3, r"embed cycle")],
        shows={"self-embed/me.md": ["SELF-TEXT"]},
    ),
    Case(
        "cycle-2",
        "text",
        {"cycle-2/a.md": "CYC-A\n\n![[cycle-2/b]]\n", "cycle-2/b.md": "CYC-B\n\n![[cycle-2/a]]\n"},
        warns=[("cycle-2/a.md", 3, r"embed cycle"), ("cycle-2/b.md", 3, r"embed cycle")],
        shows={"cycle-2/a.md": ["CYC-A", "CYC-B"], "cycle-2/b.md": ["CYC-A", "CYC-B"]},
    ),
    Case(
        "cycle-5",
        "text",
        {f"cycle-5/c{i}.md": f"CYC5-{i}\n\n![[cycle-5/c{(i + 1) % 5}]]\n" for i in range(5)},
        warns=[(f"cycle-5/c{i}.md", 3, r"embed cycle") for i in range(5)],
        shows={"cycle-5/c0.md": [f"CYC5-{i}" for i in range(5)]},
    ),
    Case(
        "chain-50",
        "text",
        {f"chain/d{i:02d}.md": f"CHAIN-{i:02d}\n\n![[chain/d{i + 1:02d}]]\n" for i in range(49)}
        | {"chain/d49.md": "CHAIN-49\n"},
        warns=[r"chain/d\d\d\.md:3: embeds nested deeper than 30; cut here and shown as a link"],
        shows={"chain/d00.md": ["CHAIN-00", "CHAIN-20"], "chain/d40.md": ["CHAIN-49"]},
        why="the page shows the first 30 levels, then a link to the rest",
    ),
    # -- ways out of the vault ---------------------------------------------------------------
    Case(
        "out-parent",
        "escape",
        {"out-parent/note.md": "A [[../outside]] b\n\n![[../outside]]\n\n[[../../outside.md]]\n"},
        warns=[
            ("out-parent/note.md", 1, r"broken link '\.\./outside': no file in the vault"),
            ("out-parent/note.md", 3, r"broken embed '\.\./outside': no file in the vault"),
            ("out-parent/note.md", 5, r"points outside the vault"),
        ],
    ),
    Case(
        "out-absolute",
        "escape",
        {"out-absolute/note.md": "[[/etc/passwd]]\n\n![[/etc/hostname]]\n\n![[{OUTSIDE}]]\n"},
        warns=[
            ("out-absolute/note.md", 1, r"broken link '/etc/passwd'"),
            ("out-absolute/note.md", 3, r"broken embed '/etc/hostname'"),
            ("out-absolute/note.md", 5, r"broken embed '/"),
        ],
        hides={"out-absolute/note.md": ["root:x:0:0"]},
    ),
    Case(
        "out-tilde",
        "escape",
        {"out-tilde/note.md": "[[~/outside]] and ![[~/.bashrc]]\n"},
        warns=[
            ("out-tilde/note.md", 1, r"broken link '~/outside'"),
            ("out-tilde/note.md", 1, r"broken embed '~/\.bashrc'"),
        ],
    ),
    Case(
        "out-encoded",
        "escape",
        {
            "out-encoded/note.md": "[[..%2Foutside]]\n\n![[..%2F..%2Foutside.md]]\n\n[[%2E%2E/outside]]\n"  # noqa: E501 (a note's text, kept on one line)
        },
        warns=[
            ("out-encoded/note.md", 1, r"broken link '\.\.%2Foutside'"),
            ("out-encoded/note.md", 3, r"broken embed"),
            ("out-encoded/note.md", 5, r"broken link"),
        ],
    ),
    Case(
        "symlink-out",
        "escape",
        {
            "symlink-out/leak.md": Symlink("../../outside.md"),
            "symlink-out/leak.png": Symlink("../../outside.png"),
            "symlink-out/note.md": "[[leak]] ![[leak.png]]\n",
        },
        warns=[
            ("symlink-out/leak.md", 1, r"symlink to a file outside the vault; not published"),
            ("symlink-out/leak.png", 1, r"symlink to a file outside the vault; not published"),
            ("symlink-out/note.md", 1, r"broken link 'leak'"),
            ("symlink-out/note.md", 1, r"broken embed 'leak\.png'"),
        ],
        absent=["symlink-out/leak*"],
    ),
    Case(
        "symlink-dir",
        "escape",
        {"symlink-dir/outdir": Symlink("../../outside_dir"), "symlink-dir/note.md": "[[secret]]\n"},
        warns=[
            (
                "symlink-dir/outdir/secret.md",
                1,
                r"symlink to a file outside the vault; not published",
            ),
            ("symlink-dir/outdir/picture.png", 1, r"outside the vault; not published"),
            ("symlink-dir/note.md", 1, r"broken link 'secret'"),
        ],
        absent=["symlink-dir/outdir*"],
        why="MkDocs follows symlinked folders; none of their notes may reach the site or nav",
    ),
    Case(
        "symlink-in",
        "silent",
        {"symlink-in/real.md": "REAL-NOTE\n", "symlink-in/alias.md": Symlink("real.md")},
        shows={"symlink-in/alias.md": ["REAL-NOTE"]},
        why="a symlink that stays inside the vault is an ordinary note",
    ),
    Case(
        "fifo",
        "escape",
        {"fifo/pipe.md": Fifo(), "fifo/note.md": "![[pipe]]\n"},
        warns=[
            ("fifo/pipe.md", 1, r"not a regular file.*not published"),
            ("fifo/note.md", 1, r"broken embed 'pipe'"),
        ],
        absent=["fifo/pipe*"],
    ),
    Case(
        "dangling",
        "escape",
        {"dangling/gone.md": Symlink("nowhere.md")},
        warns=[("dangling/gone.md", 1, r"broken or looping symlink; not published")],
    ),
    Case(
        "symlink-loop",
        "escape",
        {
            "loop/self.md": Symlink("self.md"),
            "loop/a.md": Symlink("b.md"),
            "loop/b.md": Symlink("a.md"),
        },
        warns=[
            ("loop/self.md", 1, r"broken or looping symlink"),
            ("loop/a.md", 1, r"broken or looping symlink"),
            ("loop/b.md", 1, r"broken or looping symlink"),
        ],
    ),
    Case(
        "vanishing",
        "escape",
        {
            "vanish/early.md": "EARLY\n",
            "vanish/late.png": _PNG,
            "vanish/early.png": _PNG,
            "vanish/note.md": "VANISH-OK ![[late.png]]\n",
        },
        warns=[
            ("vanish/early.md", 1, r"file disappeared during the build; not published"),
            ("vanish/early.png", 1, r"file disappeared during the build; not published"),
            ("vanish/late.png", 1, r"file disappeared during the build; not published"),
        ],
        shows={"vanish/note.md": ["VANISH-OK"]},
        why="hostile_hook.py deletes early.* before mathvault indexes and late.png after",
    ),
    # -- size and depth ---------------------------------------------------------------------
    Case("empty", "silent", {"empty/zero.md": b""}, shows={"empty/zero.md": ["zero"]}),
    Case(
        "big",
        "big",
        {"big/twenty-mb.md": Generated(_big_note, "20 MB note")},
        shows={"big/twenty-mb.md": ["END-OF-BIG-NOTE"]},
    ),
    Case(
        "many-lines",
        "big",
        {"big/lines.md": Generated(_many_lines, "50 000 lines")},
        shows={"big/lines.md": ["END-OF-50K", "item 48999", "line 49998"]},
    ),
    Case(
        "long-lines",
        "big",
        {"big/long.md": Generated(_long_lines, "1 MB lines")},
        warns=[("big/long.md", 5, r"'\[\[' is never closed")],
        shows={"big/long.md": ["END-OF-LONG"]},
    ),
    Case(
        "nested",
        "big",
        {
            "nested/lists.md": Generated(_nested_lists, "100 list levels"),
            "nested/callouts.md": Generated(_nested_callouts, "100 callout levels"),
            "nested/quotes.md": Generated(_nested_quotes, "100 quote levels"),
        },
        shows={
            "nested/lists.md": ["END-OF-LISTS", "level 99"],
            "nested/callouts.md": ["END-OF-CALLOUTS", "Level 0"],
            "nested/quotes.md": ["END-OF-QUOTES"],
        },
    ),
    # -- bytes and names ------------------------------------------------------------------------
    Case(
        "bad-utf8",
        "bytes",
        {"enc/bad.md": b"fine line\nsecond \xff\xfe line BAD-UTF8\n"},
        warns=[("enc/bad.md", 2, r"invalid UTF-8 byte 0xff")],
        shows={"enc/bad.md": ["BAD-UTF8", "\ufffd"]},
    ),
    Case(
        "bom",
        "silent",
        {"enc/bom.md": b"\xef\xbb\xbf---\ntitle: BOM-TITLE\n---\n# Heading\nBOM-BODY\n"},
        shows={"enc/bom.md": ["BOM-TITLE", "BOM-BODY"]},
        hides={"enc/bom.md": ["\ufeff", "title: BOM"]},
    ),
    Case(
        "crlf",
        "silent",
        {"enc/crlf.md": b"---\r\ntitle: CRLF-TITLE\r\n---\r\n$$\r\nx\r\n$$\r\nCRLF-BODY\r\n"},
        shows={"enc/crlf.md": ["CRLF-TITLE", "CRLF-BODY", "\\[\nx\n\\]"]},
    ),
    Case(
        "lone-cr",
        "silent",
        {"enc/cr.md": b"# CR-HEAD\rCR-BODY\r\r- one\r- two\r"},
        shows={"enc/cr.md": ['id="cr-head"', "CR-BODY", "<li>two</li>"]},
    ),
    Case(
        "utf16",
        "bytes",
        {"enc/utf16.md": "# 제목\nUTF16-BODY 한국어\n".encode("utf-16")},
        warns=[("enc/utf16.md", 1, r"note is UTF-16")],
        shows={"enc/utf16.md": ["UTF16-BODY 한국어"]},
    ),
    Case(
        "png-as-md",
        "bytes",
        {"enc/picture.md": _PNG},
        warns=[("enc/picture.md", 1, r"binary file")],
        hides={"enc/picture.md": ["IHDR"]},
    ),
    Case(
        "bad-name",
        "bytes",
        {b"enc/bad-\xff-name.md": "BAD-NAME\n"},
        warns=[
            r"enc/bad-\\udcff-name\.md:1: file name is not valid UTF-8 \(rename it\); not published"
        ],
        why="the warning path holds a replacement character where the byte was",
    ),
    Case(
        "nfc-nfd",
        "bytes",
        {
            f"ko/{unicodedata.normalize('NFC', KOREAN)}.md": "NFC-VERSION\n",
            f"ko/{unicodedata.normalize('NFD', KOREAN)}.md": "NFD-VERSION\n",
            "ko/links.md": f"[[{unicodedata.normalize('NFD', KOREAN)}]]\n",
        },
        warns=[("ko/links.md", 1, r"ambiguous link")],
        why="two files whose names differ only in Unicode form: both published, a link warns",
    ),
    Case(
        "odd-names",
        "silent",
        {
            "odd/#hash.md": "HASH-NOTE\n",
            "odd/100%.md": "PERCENT-NOTE\n",
            "odd/why?.md": "QUESTION-NOTE\n",
            "odd/[box].md": "BOX-NOTE\n",
            "odd/a|b.md": "PIPE-NOTE\n",
            "odd/🧮 abacus.md": "EMOJI-NOTE\n",
            "odd/ spaced .md": "SPACED-NOTE\n",
            "odd/links.md": "[[100%]] [[why?]] [[🧮 abacus]] [[spaced]] ![[100%]]\n",
        },
        shows={
            "odd/#hash.md": ["HASH-NOTE"],
            "odd/100%.md": ["PERCENT-NOTE"],
            "odd/why?.md": ["QUESTION-NOTE"],
            "odd/[box].md": ["BOX-NOTE"],
            "odd/a|b.md": ["PIPE-NOTE"],
            "odd/🧮 abacus.md": ["EMOJI-NOTE"],
            "odd/ spaced .md": ["SPACED-NOTE"],
            "odd/links.md": ["PERCENT-NOTE"],
        },
        why="every name Linux allows is published; the site's links to them must resolve",
    ),
    Case(
        "case-dupes",
        "bytes",
        {
            "dupes/Note.md": "UPPER\n",
            "dupes/note.md": "LOWER\n",
            "dupes/links.md": "[[dupes/note]]\n",
        },
        warns=[("dupes/links.md", 1, r"ambiguous link 'dupes/note' matches 2 files")],
    ),
    Case(
        "dot-folders",
        "silent",
        {
            ".obsidian/workspace.json": '{"secret": "DOT-SECRET"}',
            ".obsidian/plugins/x.md": "DOT-SECRET\n",
            ".trash/old.md": "DOT-SECRET\n",
            "dots/.hidden.md": "DOT-SECRET\n",
            "dots/.git/config": "DOT-SECRET",
            "dots/visible.md": "DOTS-VISIBLE\n",
        },
        shows={"dots/visible.md": ["DOTS-VISIBLE"]},
        absent=[".obsidian*", ".trash*", "dots/.hidden*", "dots/.git*"],
        why="dot files are never published, as Obsidian never shows them",
    ),
]

SECRETS = ["DOT-SECRET", OUTSIDE_TOKEN]  # must appear nowhere in any site


def materialize(cases: list[Case], vault: Path) -> None:
    """Write the cases' files into `vault`, and the bait files next to it (outside)."""
    vault.mkdir(parents=True, exist_ok=True)
    outside = vault.parent
    (outside / "outside.md").write_text(f"# Outside\n{OUTSIDE_TOKEN}\n", encoding="utf-8")
    (outside / "outside.png").write_bytes(_PNG + OUTSIDE_TOKEN.encode())
    (outside / "outside_dir").mkdir(exist_ok=True)
    (outside / "outside_dir" / "secret.md").write_text(
        f"# Secret\n{OUTSIDE_TOKEN}\n", encoding="utf-8"
    )
    (outside / "outside_dir" / "picture.png").write_bytes(_PNG + OUTSIDE_TOKEN.encode())
    for case in cases:
        for name, content in case.files.items():
            raw_path = (
                os.fsencode(vault) + b"/" + (name if isinstance(name, bytes) else name.encode())
            )
            os.makedirs(os.path.dirname(raw_path), exist_ok=True)
            if isinstance(content, Fifo):
                os.mkfifo(raw_path)
            elif isinstance(content, Symlink):
                os.symlink(content.target, raw_path)
            else:
                if isinstance(content, Generated):
                    data = content.make()
                elif isinstance(content, str):
                    data = content.replace("{OUTSIDE}", str(outside / "outside.md")).encode()
                else:
                    data = content
                with open(raw_path, "wb") as fh:
                    fh.write(data)
