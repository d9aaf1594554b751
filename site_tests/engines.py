"""Build the demo vault with one engine, as its docs/engines.md commands do.

The engine is the one installed in the running interpreter's environment, named by
`MATHVAULT_ENGINE` (default `mkdocs`): `scripts/engines` makes one virtualenv per engine
and runs the smoke suite (`site_tests/test_engines.py`) in each.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from site_tests.sitebuild import unexpected_warnings

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "properdocs", "mkdocs-ng", "zensical")
ENGINE = os.environ.get("MATHVAULT_ENGINE", "mkdocs")


def build_demo(root: Path, origin: str, engine: str = ENGINE) -> tuple[Path, str]:
    """Build vault/ into root/site for `origin`; return the site folder and the log."""
    if engine not in ENGINES:
        raise ValueError(f"MATHVAULT_ENGINE={engine!r}: not one of {', '.join(ENGINES)}")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    site = root / "site"
    log = ""
    if engine == "zensical":
        prep = _run(
            [
                sys.executable,
                "-m",
                "mathvault.cli",
                "prepare",
                str(REPO / "vault"),
                "--out",
                str(root / "docs"),
                "--cache",
                str(REPO / ".cache/plugin/mathvault"),
            ],
            root,
            env,
        )
        text = (REPO / "zensical.toml").read_text(encoding="utf-8")
        for k, v in (("docs_dir", "docs"), ("site_dir", "site"), ("site_url", origin + "/")):
            text = re.sub(rf"(?m)^{k} = .*$", f'{k} = "{v}"', text)
        (root / "zensical.toml").write_text(text, encoding="utf-8")
        cmd = [str(Path(sys.executable).with_name("zensical")), "build", "-f", "zensical.toml"]
        log = prep + _run(cmd, root, env)
    else:
        child = root / "mkdocs.yml"
        child.write_text(
            yaml.safe_dump(
                {
                    "INHERIT": str(REPO / "mkdocs.yml"),
                    "docs_dir": str((REPO / "vault").resolve()),
                    "site_dir": str(site),
                    "site_url": origin + "/",
                },
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
        module = "properdocs" if engine == "properdocs" else "mkdocs"
        # not --strict: the seed's known finding warns (sitebuild.DEMO_FINDINGS); anything
        # else does not pass
        log = _run([sys.executable, "-m", module, "build", "-f", str(child)], root, env)
        unexpected = unexpected_warnings(log)
        if unexpected:
            raise RuntimeError(f"{module} build warned:\n" + "\n".join(unexpected))
    return site, log


def _run(cmd: list[str], cwd: Path, env: dict) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900, env=env)
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{log}")
    return log
