"""The Python-Markdown door (mathvault/markdown/), its core helpers (vault/properties.py,
vault/stage.py) and `mathvault prepare`, without any engine installed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import markdown
import pytest

from mathvault import cli
from mathvault.markdown import vaults
from mathvault.markdown.engine_page import engine_page
from mathvault.vault.properties import normalised, normalised_text
from mathvault.vault.stage import STAMP, StageError, stage

REPO = Path(__file__).resolve().parent.parent
SEED = "3. 미적분/3.4.3. 미분.md"


@pytest.fixture(autouse=True)
def _fresh_vaults():
    vaults.forget_all()
    yield
    vaults.forget_all()


def _vault(tmp_path: Path) -> Path:
    v = tmp_path / "v"
    (v / "sub").mkdir(parents=True)
    (v / "a.md").write_text("---\ntags:\naliases: 에이\n---\n# 제목 하나\n\nSee [[b]] and $x^2$.\n")
    (v / "sub" / "b.md").write_text(
        "# B\n\n> [!note] 노트\n> ==hi== %%hidden%% #tag [[a#제목 하나]]\n"
    )
    return v


def _render(vault: Path, page: str, text: str | None = None) -> tuple[str, markdown.Markdown]:
    md = markdown.Markdown(
        extensions=["mathvault"],
        extension_configs={"mathvault": {"vault_dir": str(vault), "page": page}},
    )
    source = text if text is not None else (vault / page).read_text(encoding="utf-8")
    return md.convert(source), md


def test_entry_point_converts_links_math_callouts_and_korean_ids(tmp_path):
    v = _vault(tmp_path)
    html, md = _render(v, "sub/b.md")
    # a label with Markdown in it ("a > 제목 하나") stays a Markdown link for the engine
    assert '<a href="../a.md#제목-하나">' in html
    assert "admonition note" in html and "<mark>hi</mark>" in html and "hidden" not in html
    assert "[[" not in html
    html, md = _render(v, "a.md")
    assert '<h1 id="제목-하나">' in html
    assert '<span class="arithmatex">\\(x^2\\)</span>' in html
    assert "mathvault-backlinks" in html and "Linked mentions (1)" in html
    assert md.toc_tokens[0]["id"] == "제목-하나"


def test_the_seed_note_converts_as_in_mkdocs():
    html, md = _render(REPO / "vault", SEED)
    article = html.split('<aside class="mathvault-backlinks">')[0]
    assert article.count('class="arithmatex') == 20
    assert '<h4 id="343-미분">' in html
    assert "\ue000" not in html and "\ue002" not in html  # no placeholder left
    assert all("\ue000" not in t["name"] for t in md.toc_tokens)


def test_index_is_built_once_and_rebuilt_when_a_file_changes(tmp_path):
    v = _vault(tmp_path)
    _render(v, "a.md")
    _render(v, "sub/b.md")
    opened = vaults.open_vault(v)
    assert opened.builds == 1
    (v / "c.md").write_text("# C\n")
    assert vaults.open_vault(v).builds == 1  # re-checked at most once a second
    assert vaults.open_vault(v, now=time.monotonic() + 5).builds == 2
    assert "c.md" in vaults.open_vault(v).index.paths


class _ZensicalShapedContext:
    """What Zensical's `zensical.extensions.context.ContextPreprocessor` holds."""

    def __init__(self, path: str, docs_dir: str) -> None:
        self.page = type("Page", (), {"path": path, "url": "x/", "meta": {"tags": None}})()
        self.config = {"docs_dir": docs_dir, "use_directory_urls": True}

    def run(self, lines):
        return lines


def test_engine_page_reads_zensicals_rendering_context(tmp_path):
    md = markdown.Markdown()
    assert engine_page(md) is None
    md.preprocessors.register(
        _ZensicalShapedContext("sub/b.md", str(tmp_path)), "rendering_context", 0
    )
    page = engine_page(md)
    assert page.path == "sub/b.md" and page.docs_dir == str(tmp_path) and page.directory_urls
    assert page.meta == {"tags": None}


def test_engine_page_matches_the_installed_zensical(tmp_path):
    context = pytest.importorskip("zensical.extensions.context")
    page = context.Page(url="sub/b/", path="sub/b.md", meta={})
    md = markdown.Markdown(
        extensions=[context.ContextExtension(page=page, config={"docs_dir": "d"})]
    )
    found = engine_page(md)
    assert found.path == "sub/b.md" and found.docs_dir == "d"


def test_under_an_engine_links_stay_vault_paths_and_meta_is_normalised(tmp_path):
    v = _vault(tmp_path)
    ctx = _ZensicalShapedContext("sub/b.md", str(v))
    md = markdown.Markdown(extensions=["mathvault"])
    md.preprocessors.register(ctx, "rendering_context", 0)
    html = md.convert((v / "sub" / "b.md").read_text(encoding="utf-8"))
    assert 'href="../a.md#제목-하나"' in html or 'href="../a.md#%EC%A0%9C' in html
    assert ctx.page.meta["tags"] == ["tag"]


def test_the_door_imports_no_mkdocs(tmp_path):
    v = _vault(tmp_path)
    code = (
        "import sys, markdown; "
        f"markdown.markdown(open({str(v / 'a.md')!r}).read(), extensions=['mathvault'], "
        f"extension_configs={{'mathvault': {{'vault_dir': {str(v)!r}, 'page': 'a.md'}}}}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_properties_are_normalised_in_place():
    assert normalised({"tags": None, "aliases": "x, y", "created": None, "n": 1}) == {
        "tags": [],
        "aliases": ["x", "y"],
        "n": 1,
    }
    text = "---\ncategories: \ntags:\naliases: a\ncreated:\n---\nbody\n"
    fixed = normalised_text(text)
    assert (
        fixed == '---\ncategories: \ntags: []\naliases: ["a"]\n'
        "# created: (blank in the vault)\n---\nbody\n"
    )
    assert fixed.count("\n") == text.count("\n")
    fine = "---\ntags:\n  - a\n---\nx"
    assert normalised_text(fine) == fine
    assert normalised_text("no frontmatter") == "no frontmatter"


def test_stage_never_writes_the_vault_and_syncs(tmp_path):
    v = _vault(tmp_path)
    before = {p: p.read_bytes() for p in v.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    report = stage(v, out, {"_mathvault/generated/f.png": b"png"})
    assert report.normalised == ["a.md"]
    assert (out / "a.md").read_text().startswith('---\ntags: []\naliases: ["에이"]\n')
    assert (out / "_mathvault/generated/f.png").read_bytes() == b"png"
    assert {p: p.read_bytes() for p in v.rglob("*") if p.is_file()} == before
    (v / "sub" / "b.md").unlink()
    again = stage(v, out, {})
    assert again.written == [] and sorted(again.removed) == [
        "_mathvault/generated/f.png",
        "sub/b.md",
    ]


def test_stage_refuses_a_folder_of_the_users(tmp_path):
    v = _vault(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("x")
    with pytest.raises(StageError):
        stage(v, mine, {})
    with pytest.raises(StageError):
        stage(v, v / "inside", {})
    assert (mine / "keep.txt").exists() and not (mine / STAMP).exists()


def test_prepare_stages_figures_fences_and_mathjax(tmp_path, capsys):
    out = tmp_path / "docs"
    status = cli.main(
        [
            "prepare",
            str(REPO / "vault"),
            "--out",
            str(out),
            "--no-verify",
            "--cache",
            str(REPO / ".cache/plugin/mathvault"),
        ]
    )
    assert status == 0
    assert (out / "_mathvault/generated/dev.png").is_file()
    assert (out / "_mathvault/generated/partial_dev.png").is_file()
    assert (out / "assets/mathvault/mathjax/tex-chtml.js").is_file()
    assert (out / "_mathvault/fences.json").is_file()
    assert "tags: []" in (out / SEED).read_text(encoding="utf-8")
    assert "frontmatter normalised" in capsys.readouterr().out
    assert os.path.getsize(REPO / "vault" / SEED) > 0
