"""What a `mkdocs serve` rebuild redoes after an edit: which pages must be rendered again
(`VaultIndex.dependents`), and that unchanged notes and link resolutions are reused."""

from __future__ import annotations

from mathvault.vault.index import VaultIndex

VAULT = {
    "X.md": "# X\n\n## Part\n\nX text ^blk\n\nSee [[Y]].\n",
    "Y.md": "# Y\n\nPlain note.\n",
    "embeds.md": "# E\n\n![[X#Part]]\n",
    "links.md": "# L\n\nA link to [[X#Part]] and [[Y]].\n",
    "other.md": "# O\n\nNothing about X here: [[Y]].\n",
}


class Vault:
    """Files in memory with a version stamp per file, as mtime/size would be on disk."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = dict(files)
        self.version = {k: 0 for k in files}
        self.parsed: dict = {}
        self.index: VaultIndex | None = None
        self.resolutions = 0

    def edit(self, path: str, text: str) -> None:
        self.files[path] = text
        self.version[path] = self.version.get(path, 0) + 1

    def rebuild(self) -> tuple[VaultIndex, set[str]]:
        index = VaultIndex(
            list(self.files),
            lambda p: self.files[p].encode(),
            lambda p: self.version[p],
            self.parsed,
        )
        counted = index._resolve

        def counting(name, source):
            self.resolutions += 1
            return counted(name, source)

        index._resolve = counting
        self.resolutions = 0
        index.scan_all(self.index)
        changed = index.reparsed
        deps = index.dependents(changed, self.index) if self.index is not None else set()
        self.index = index
        return index, deps


def test_prose_edit_rerenders_only_the_pages_that_embed_it() -> None:
    v = Vault(VAULT)
    v.rebuild()
    v.edit("X.md", VAULT["X.md"] + "\nA new paragraph.\n")
    index, deps = v.rebuild()
    assert index.reparsed == {"X.md"}
    assert deps == {"embeds.md"}
    assert v.resolutions == 0  # same names: every link resolution of the last build reused


def test_heading_edit_reaches_the_pages_that_link_to_it() -> None:
    v = Vault(VAULT)
    v.rebuild()
    v.edit("X.md", VAULT["X.md"].replace("## Part", "## Renamed part"))
    _, deps = v.rebuild()
    assert deps == {"embeds.md", "links.md"}


def test_link_edit_reaches_old_and_new_targets_backlinks() -> None:
    v = Vault(VAULT)
    v.rebuild()
    v.edit("X.md", VAULT["X.md"].replace("See [[Y]].", "See [[other]]."))
    index, deps = v.rebuild()
    assert {"Y.md", "other.md", "embeds.md"} <= deps and "links.md" not in deps
    assert [m.source for m in index.backlinks["other.md"]] == ["X.md"]


def test_new_or_removed_file_rerenders_everything() -> None:
    v = Vault(VAULT)
    v.rebuild()
    v.edit("New.md", "# New\n")
    index, deps = v.rebuild()
    assert deps == set(index.note_paths) - {"New.md"}
    del v.files["other.md"]
    index, deps = v.rebuild()
    assert deps == set(index.note_paths)


def test_nothing_changed_means_nothing_to_render_and_nothing_resolved() -> None:
    v = Vault(VAULT)
    first, _ = v.rebuild()
    assert v.resolutions > 0
    index, deps = v.rebuild()
    assert index.reparsed == set() and deps == set() and v.resolutions == 0
    assert index.backlinks == first.backlinks


def test_patched_backlinks_and_dependents_equal_a_full_recomputation() -> None:
    """Random edits (links added, removed, retargeted; embeds; headings): the backlinks a
    rebuild patches, and the pages it re-renders, are those a from-scratch index gives."""
    import random

    rng = random.Random(7)
    names = [f"N{i}" for i in range(12)]

    def note_text() -> str:
        parts = [f"# T{rng.randint(0, 3)}", ""]
        for _ in range(rng.randint(0, 5)):
            target = rng.choice(names)
            form = rng.choice(
                ["[[{t}]]", "![[{t}]]", "[[{t}#H{h}]]", "![[{t}#H{h}]]", "[[{t}|label]]"]
            )
            parts.append(f"line {rng.random():.3f} " + form.format(t=target, h=rng.randint(0, 2)))
        parts += [f"## H{rng.randint(0, 2)}", "", "text"]
        return "\n".join(parts) + "\n"

    v = Vault({f"{n}.md": note_text() for n in names})
    v.rebuild()
    for _ in range(40):
        before = {p: v.index.note(p) for p in v.files}
        edited = rng.sample(sorted(v.files), rng.randint(1, 3))
        for path in edited:
            v.edit(path, note_text() if rng.random() < 0.7 else v.files[path] + "\nmore prose\n")
        index, deps = v.rebuild()
        fresh = VaultIndex(list(v.files), lambda p: v.files[p].encode())
        fresh.scan_all()

        def key(bl):
            return {
                t: sorted((m.source, m.line, m.start) for m in ms) for t, ms in bl.items() if ms
            }

        assert key(index.backlinks) == key(fresh.backlinks)
        # Dependents by the definition: another note embeds a changed note, links to one whose
        # title/headings/blocks changed, or is linked from a changed note whose links changed.
        changed = index.reparsed
        expected = set()
        for path in v.files:
            if path in changed:
                continue
            for inner, _, _ in fresh.note(path).links:
                target = fresh.link_target(inner, path)
                if target in changed:
                    old, new = before[target], fresh.note(target)
                    shown = (
                        old.title,
                        [(h.level, h.text, h.slug) for h in old.headings],
                        sorted(old.blocks),
                    ) != (
                        new.title,
                        [(h.level, h.text, h.slug) for h in new.headings],
                        sorted(new.blocks),
                    )
                    if shown or inner in fresh.note(path).embeds:
                        expected.add(path)
        for path in changed:
            old, new = before[path], fresh.note(path)
            if [(i, old.line_from(s)) for i, _, s in old.links] != [
                (i, new.line_from(s)) for i, _, s in new.links
            ]:
                for note in (old, new):
                    expected |= {fresh.link_target(i, path) for i, _, _ in note.links} - {None}
        assert deps == expected - changed


def test_edit_of_the_linking_paragraph_reaches_the_backlinked_page() -> None:
    """Y's linked mentions quote X's whole paragraph (not only the link's line): an edit
    of another line of that paragraph must render Y again; an edit elsewhere need not."""
    files = dict(VAULT)
    files["X.md"] = "# X\n\nFirst line of the paragraph,\nthen the link [[Y]].\n\nOther text.\n"
    v = Vault(files)
    v.rebuild()
    v.edit("X.md", files["X.md"].replace("First line", "An edited first line"))
    _, deps = v.rebuild()
    assert "Y.md" in deps
    v.edit("X.md", v.files["X.md"].replace("Other text.", "Other text, edited."))
    _, deps = v.rebuild()
    assert "Y.md" not in deps
    v.edit("X.md", v.files["X.md"].replace("the link [[Y]].", "the link [[Y]]. %% hid %%"))
    _, deps = v.rebuild()
    assert "Y.md" not in deps  # a comment is never shown in the context
