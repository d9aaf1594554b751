"""How a link name finds its file, as a table: Obsidian's "shortest path when possible".

Each row is (linking note, name as written, the file it resolves to or None). Add a row for
a new rule; docs/syntax.md ("Links") says the same in prose.
"""

from __future__ import annotations

import unicodedata

import pytest

from tests.helpers import make_index

VAULT = {
    "Note.md": "---\naliases: [An alias, Note]\n---\n# Note\n",
    "Alias only.md": "---\naliases: [Shared]\n---\n",
    "folder/Deep.md": "# Deep\n",
    "folder/sub/Twin.md": "",
    "other/Twin.md": "",
    "a/b/Here.md": "",
    "a/Sibling.md": "",
    f"{unicodedata.normalize('NFD', '한글')}.md": "",
    "doc.pdf": "",
    "img.png": "",
}

RULES = [
    # source, name, resolves to
    ("Note.md", "Note", "Note.md"),  # by file name
    ("Note.md", "Note.md", "Note.md"),  # `.md` is optional
    ("Note.md", "  note  ", "Note.md"),  # case and spaces do not matter
    ("Note.md", "Deep", "folder/Deep.md"),  # anywhere in the vault
    ("Note.md", "folder/Deep", "folder/Deep.md"),  # by the end of its path
    ("Note.md", "Twin", "other/Twin.md"),  # several: the shortest path wins
    ("Note.md", "sub/Twin", "folder/sub/Twin.md"),  # more of the path picks one
    ("a/b/Here.md", "../Sibling", "a/Sibling.md"),  # relative to the linking note
    ("a/b/Here.md", "./Here", "a/b/Here.md"),
    ("a/b/Here.md", "../../../Note", None),  # never outside the vault
    ("Note.md", "An alias", "Note.md"),  # frontmatter aliases are names
    ("Note.md", "Shared", "Alias only.md"),
    ("Note.md", "한글", f"{unicodedata.normalize('NFD', '한글')}.md"),  # NFC finds NFD
    ("Note.md", "doc.pdf", "doc.pdf"),  # attachments, with their extension
    ("Note.md", "img", None),  # ... and only with it
    ("Note.md", "Missing", None),
]


@pytest.mark.parametrize("source, name, target", RULES)
def test_resolution(source: str, name: str, target: str | None) -> None:
    assert make_index(VAULT).resolve(name, source).path == target
