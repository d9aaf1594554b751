"""Build a real MkDocs site from a vault folder, as a user would, for the site tests.

Every test that needs a site goes through `build()`: it writes a mkdocs.yml next to the
output, runs the real `mkdocs build` in a subprocess and returns the site folder and log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEMO_VAULT = REPO / "vault"
# What the formula checker finds in the demo vault, which is the user's own notes and stays
# as written: line 38 of the seed (the generalized chain rule) has ∂x_1/∂t_1 and ∂x_2/∂t_2
# where every term needs ∂t_i. A demo build warns about exactly this, and nothing else.
DEMO_FINDINGS = (re.compile(r"3\.4\.3\. 미분\.md:38: formula refuted: "),)


def unexpected_warnings(log: str) -> list[str]:
    """The WARNING lines of a demo build other than the known findings above."""
    return [
        line
        for line in log.splitlines()
        if line.startswith("WARNING") and not any(f.search(line) for f in DEMO_FINDINGS)
    ]


@dataclass
class Build:
    site_dir: Path
    config_file: Path
    returncode: int
    log: str

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("WARNING")]

    def page(self, rel: str) -> str:
        return (self.site_dir / rel).read_text(encoding="utf-8")


def build(
    vault: Path,
    workdir: Path,
    *,
    plugin: dict | None = None,
    strict: bool = False,
    theme: dict | None = None,
    extra: dict | None = None,
    timeout: float = 600,
) -> Build:
    """Run `mkdocs build` on `vault` with the mathvault plugin; output goes under `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = {
        "site_name": "test vault",
        "docs_dir": str(Path(vault).resolve()),
        "site_dir": str((workdir / "site").resolve()),
        "theme": theme or {"name": "material", "features": ["navigation.instant"]},
        "plugins": ["search", {"mathvault": plugin or {}}],
    }
    config.update(extra or {})
    config_file = workdir / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)]
    if strict:
        cmd.append("--strict")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        cmd, cwd=workdir, capture_output=True, text=True, timeout=timeout, env=env
    )
    return Build(workdir / "site", config_file, proc.returncode, proc.stdout + proc.stderr)
