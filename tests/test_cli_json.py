"""`mathvault check PATHS --format json`: one JSON record per formula claim (JSON Lines),
every record valid against the schema the package ships, exit status 1 only on problems.

The CLI runs as a user runs it, in a subprocess, on small vaults in tmp_path. The claims
are ones whose verdicts do not depend on the checker's heuristics: d/dx x^3 = 3x^2 and
(x+1)^2 = x^2+2x+1 are identities, d/dx x^3 = 2x^2 is false everywhere but at 0."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from mathvault.verify.records import record

FIELDS = {
    "file",
    "line",
    "block",
    "row",
    "latex",
    "verdict",
    "method",
    "assumptions",
    "reason",
    "counterexample",
}

CALCULUS = (
    "---\ntags: [calc]\n---\n"  # front matter counts: line numbers are the raw note's
    "# Powers\n\n"
    "$$\\frac{d}{dx}x^3 = 3x^2$$\n\n"  # line 6
    "$$\\frac{d}{dx}x^3 = 2x^2$$\n\n"  # line 8
    "See [[Algebra]].\n"
)
ALGEBRA = "# Algebra\n\n$$(x+1)^2 = x^2 + 2x + 1$$\n"  # line 3


@pytest.fixture(scope="module")
def schema() -> dict:
    text = (resources.files("mathvault") / "claim_schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def make_vault(root: Path) -> Path:
    vault = root / "vault"
    (vault / "calc").mkdir(parents=True)
    (vault / "calc" / "Powers.md").write_text(CALCULUS, encoding="utf-8")
    (vault / "Algebra.md").write_text(ALGEBRA, encoding="utf-8")
    return vault


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable,
        "-m",
        "mathvault.cli",
        "check",
        *args,
        "--no-execute",
        "--jobs",
        "1",
        "--cache",
        str(cwd / "cache"),
    ]
    return subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=dict(os.environ)
    )


def records(proc: subprocess.CompletedProcess, schema: dict) -> list[dict]:
    lines = proc.stdout.splitlines()
    assert lines, proc.stderr
    out = []
    for line in lines:
        rec = json.loads(line)  # JSON Lines: each line a whole record
        jsonschema.validate(rec, schema)
        assert set(rec) == FIELDS
        out.append(rec)
    return out


def test_json_records_validate_and_refuted_exits_1(tmp_path: Path, schema: dict) -> None:
    make_vault(tmp_path)
    proc = run(tmp_path, "vault", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    recs = records(proc, schema)
    by_line = {(r["file"], r["line"]): r for r in recs}
    assert set(by_line) == {
        ("vault/calc/Powers.md", 6),
        ("vault/calc/Powers.md", 8),
        ("vault/Algebra.md", 3),
    }
    assert by_line["vault/calc/Powers.md", 6]["verdict"] == "verified"
    assert by_line["vault/calc/Powers.md", 6]["counterexample"] is None
    assert by_line["vault/Algebra.md", 3]["verdict"] == "verified"
    wrong = by_line["vault/calc/Powers.md", 8]
    assert wrong["verdict"] == "refuted" and wrong["latex"] == "\\frac{d}{dx}x^3 = 2x^2"
    assert re.search(r"x\s*=", wrong["counterexample"])  # a point where the sides differ
    # the text report moves to stderr; stdout holds records only
    assert "vault/calc/Powers.md:8: formula refuted" in proc.stderr
    assert "1 refuted" in proc.stderr


def test_only_verified_exits_0_and_paths_select_notes(tmp_path: Path, schema: dict) -> None:
    make_vault(tmp_path)
    proc = run(tmp_path, "vault/Algebra.md", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    [rec] = records(proc, schema)
    assert (rec["file"], rec["line"], rec["verdict"]) == ("vault/Algebra.md", 3, "verified")
    # a folder inside the vault selects its notes; links still resolve against the whole
    # vault (./vault holds the path), so [[Algebra]] is no broken link
    proc = run(tmp_path, "vault/calc", "--format", "json")
    assert proc.returncode == 1
    assert {r["file"] for r in records(proc, schema)} == {"vault/calc/Powers.md"}
    assert "broken" not in proc.stderr
    # two paths: both notes
    proc = run(tmp_path, "vault/Algebra.md", "vault/calc/Powers.md", "--format", "json")
    assert len(records(proc, schema)) == 3


def test_no_path_means_vault_and_text_stays_default(tmp_path: Path) -> None:
    make_vault(tmp_path)
    proc = run(tmp_path)
    assert proc.returncode == 1
    assert "vault/calc/Powers.md:8: formula refuted: \\frac{d}{dx}x^3 = 2x^2" in proc.stdout
    assert not proc.stdout.lstrip().startswith("{")
    assert "2 notes checked, 1 problems" in proc.stdout


def test_obsidian_folder_marks_the_vault_root(tmp_path: Path, schema: dict) -> None:
    notes = tmp_path / "My Notes"
    (notes / ".obsidian").mkdir(parents=True)
    (notes / "sub").mkdir()
    (notes / "sub" / "Powers.md").write_text(CALCULUS.replace("2x^2", "3x^2"), encoding="utf-8")
    (notes / "Algebra.md").write_text(ALGEBRA, encoding="utf-8")
    proc = run(tmp_path, "My Notes/sub/Powers.md", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # [[Algebra]] resolves
    recs = records(proc, schema)
    assert {r["file"] for r in recs} == {"My Notes/sub/Powers.md"}
    assert {r["verdict"] for r in recs} == {"verified"}


def test_record_fills_defaults_for_old_cached_verdicts(schema: dict) -> None:
    old = {
        "line": 4,
        "latex": " a = b ",
        "verdict": "skipped",
        "reason": "why",
        "counterexample": None,
    }
    rec = record(old, "vault/n.md")
    jsonschema.validate(rec, schema)
    assert rec == {
        "file": "vault/n.md",
        "line": 4,
        "block": 0,
        "row": 0,
        "latex": "a = b",
        "verdict": "skipped",
        "method": "",
        "assumptions": [],
        "reason": "why",
        "counterexample": None,
    }
    fresh = dict(old, method="symbolic", assumptions=("x > 0",), block=2, row=1)
    assert record(fresh, "n.md")["assumptions"] == ["x > 0"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(dict(rec, verdict="maybe"), schema)
