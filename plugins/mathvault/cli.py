"""`mathvault` command line: check a vault, or write its generated figures, without MkDocs.

mathvault check [PATH...]   links, embeds, frontmatter, snippets and formulas of a vault, or of
                            notes and folders inside it; exit 1 on problems (a refuted formula
                            is one); `--format json` prints one JSON record per formula claim
mathvault figures [VAULT]   run the snippets and copy their figures into the vault
                            (never replacing a file), listing every file written
mathvault prepare [VAULT]   for engines without MkDocs events (Zensical): check the vault
                            as `check` does, then stage it into `--out` (default build/docs)
                            with normalised frontmatter, the generated figures, the
                            rendered snippets and MathJax; the engine builds from there
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from . import settings
from .mkdocs import site_assets  # imports no MkDocs (pyproject's door contract names it)
from .snippets import SnippetEngine, render_block
from .snippets.results import format_traceback
from .vault import convert
from .vault.files import walk_vault
from .vault.index import VaultIndex
from .vault.stage import StageError, stage
from .verify.pool import Checker
from .verify.records import record

GENERATED_DIR = "_mathvault/generated"  # where figures are published (as the MkDocs door does)
FENCES_FILE = "_mathvault/fences.json"  # rendered exec fences, read by the Markdown extension


def _index(vault: Path) -> tuple[VaultIndex, list[str]]:
    paths, skipped = walk_vault(vault)
    root = vault.resolve()

    def read(path: str) -> bytes:
        with open(root / path, "rb") as fh:
            return fh.read()

    index = VaultIndex(paths, read)
    index.scan_all()
    return index, [f"{vault.as_posix()}/{p}:1: {why}; not published" for p, why in skipped]


def _engine(vault: Path, cache: Path, args) -> SnippetEngine:
    return SnippetEngine(vault, cache / "snippets", jobs=args.jobs, timeout=args.timeout)


def vault_of(path: Path, given: Path | None) -> Path:
    """The vault a checked path belongs to: `--vault` if given, else the nearest folder
    (the path itself or above) holding Obsidian's `.obsidian/`, else `./vault` when it holds
    the path, else the path itself (a folder) or its folder (a note)."""
    path = path.resolve()
    if given is not None:
        return given.resolve()
    for folder in [path, *path.parents] if path.is_dir() else path.parents:
        if (folder / ".obsidian").is_dir():
            return folder
    default = Path("vault").resolve()
    if default.is_dir() and (path == default or default in path.parents):
        return default
    return path if path.is_dir() else path.parent


def _shown(vault: Path) -> str:
    """How messages name the vault: relative to the working directory when inside it."""
    rel = os.path.relpath(vault)
    return vault.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def cmd_check(args) -> int:
    """Check each vault the paths belong to; report only the notes under the paths."""
    groups: dict[Path, list[str]] = {}
    given = Path(args.vault) if args.vault else None
    for raw in args.paths:
        path = Path(raw)
        vault = vault_of(path, given)
        inside = path.resolve()
        if inside != vault and vault not in inside.parents:
            raise SystemExit(f"mathvault check: {raw}: not inside the vault {_shown(vault)}")
        groups.setdefault(vault, []).append(
            inside.relative_to(vault).as_posix() if inside != vault else ""
        )
    status = 0
    for vault, selected in groups.items():
        status = max(status, _check_vault(vault, selected, args))
    return status


def _check_vault(vault: Path, selected: list[str], args, then: Callable | None = None) -> int:
    """Report the problems of the `selected` notes; `then(index, engine)` runs after
    the snippets finished and before the engine closes (`prepare` stages the vault)."""
    index, skipped = _index(vault)
    shown = _shown(vault)
    prefix = "" if shown == "." else shown.rstrip("/") + "/"

    def wanted(path: str) -> bool:
        return any(s == "" or path == s or path.startswith(s + "/") for s in selected)

    notes = [p for p in index.note_paths if wanted(p)]
    for s in selected:
        if s and not (vault / s).is_dir() and s not in index.note_paths:
            raise SystemExit(f"mathvault check: {prefix}{s}: not a published note of the vault")
    problems = [f"{prefix}{p}:1: {why}; not published" for p, why in skipped if wanted(p)]
    as_json = args.format == "json"
    say = functools.partial(print, file=sys.stderr if as_json else sys.stdout)
    engine = None
    if args.execute:
        engine = _engine(vault, Path(args.cache), args)
        for path in notes:  # only the selected notes' snippets run
            engine.submit(path, index.note(path).text)
    checker = None
    if args.verify:
        checker = Checker(
            Path(args.cache) / "checks", args.jobs or os.cpu_count() or 1, args.time_limit
        )
        for path in notes:
            checker.submit(path, index.note(path).text)
    if engine is not None:
        engine.wait_all()
        for name, real in engine.generated().items():
            if not any(p.rsplit("/", 1)[-1] == name for p in index.paths):
                index.add_generated(f"{GENERATED_DIR}/{name}", str(real))
    for path in notes:
        ctx = convert.Context(index, path)
        convert.convert_note(index.note(path), ctx)
        problems += [f"{prefix}{p.path}:{p.line}: {p.message}" for p in ctx.problems]
        if engine is not None and (result := engine.result(path)) is not None:
            for block in result.blocks:
                if block.error:
                    problems.append(
                        f"{prefix}{path}:{block.error_line}: snippet {block.status}: {block.error}"
                    )
        if checker is not None:
            for c in checker.claims(path):
                if as_json:
                    print(json.dumps(record(c, prefix + path), ensure_ascii=False))
                if c["verdict"] == "refuted":
                    problems.append(
                        f"{prefix}{path}:{c['line']}: formula refuted: {c['latex'].strip()} "
                        f"({c.get('counterexample') or c['reason']})"
                    )
    for line in dict.fromkeys(problems):
        say(line)
    if then is not None:
        then(index, engine)
    if engine is not None:
        say(engine.summary())
        engine.close()
    if checker is not None:
        say("mathvault: " + checker.summary())
        checker.close()
    say(f"mathvault: {len(notes)} notes checked, {len(set(problems))} problems")
    return 1 if problems else 0


def cmd_figures(args) -> int:
    vault = Path(args.vault)
    index, _ = _index(vault)
    engine = _engine(vault, Path(args.cache), args)
    for path in index.note_paths:
        engine.submit(path, index.note(path).text)
    engine.wait_all()
    status = 0
    root = vault.resolve()
    names = {p.rsplit("/", 1)[-1] for p in index.paths}
    for name, real in sorted(engine.generated().items()):
        dest = (root / args.into / name).resolve()
        if root not in dest.parents:
            print(f"skipped {name}: would be written outside the vault", file=sys.stderr)
            status = 1
            continue
        if dest.exists() or dest.name in names:
            print(
                f"kept {dest.relative_to(root).as_posix()}: "
                "a file of that name exists (not replaced)",
                file=sys.stderr,
            )
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real, dest)
        print(f"wrote {vault.as_posix().rstrip('/')}/{dest.relative_to(root).as_posix()}")
    print(engine.summary(), file=sys.stderr)
    engine.close()
    return status


def cmd_prepare(args) -> int:
    """`check`, then stage the vault for the engine (vault/stage.py says how)."""
    vault = Path(args.vault)
    out = Path(args.out)
    args.paths = [str(vault)]
    staged: list = []

    def stage_it(index, engine) -> None:
        extra: dict[str, Path | bytes] = {}
        fences: dict[str, dict[str, list[str]]] = {}
        if engine is not None:
            names = {p.rsplit("/", 1)[-1] for p in index.paths if p not in index.generated}
            for name, real in engine.generated().items():
                if name not in names:
                    extra[f"{GENERATED_DIR}/{name}"] = real
            fences = _rendered_fences(index, engine)
        extra[FENCES_FILE] = json.dumps(fences, ensure_ascii=False, indent=1).encode()
        assets = site_assets.asset_files()
        extra.update({dest: Path(src) for dest, src in assets.items()})
        extra[site_assets.CONFIG_JS] = site_assets.mathjax_config_js({}).encode()
        staged.append(stage(vault, out, extra))

    try:
        status = _check_vault(vault.resolve(), [""], args, then=stage_it)
    except StageError as exc:
        print(f"mathvault prepare: {exc}", file=sys.stderr)
        return 2
    report = staged[0]
    for path in report.normalised:
        print(
            f"{_shown(vault.resolve()).rstrip('/')}/{path}:1: frontmatter normalised "
            "in the staged copy (empty tags/aliases, blank dates)"
        )
    print(
        f"mathvault: staged {args.vault} into {out.as_posix()}: {len(report.written)} written, "
        f"{len(report.removed)} removed; build with the docs folder set to {out.as_posix()}"
    )
    return status if args.strict else 0


def _rendered_fences(index, engine: SnippetEngine) -> dict[str, dict[str, list[str]]]:
    """Each exec fence's Markdown, as the MkDocs door renders it, by note and fence line."""
    out: dict[str, dict[str, list[str]]] = {}
    for path in index.note_paths:
        result = engine.result(path)
        if result is None:
            continue

        def image(name: str, path: str = path) -> str:
            virtual = f"{GENERATED_DIR}/{name}"
            if virtual not in index.generated:
                return f"![[{name}]]"
            alt = name.replace("[", "\\[").replace("]", "\\]")
            return f"![{alt}](<{convert.relative_path(path, virtual)}>)"

        blocks = [b.block for b in result.blocks]
        for block_result in result.blocks:
            tb = format_traceback(block_result, blocks, path)
            text = render_block(block_result, "", traceback=tb, image=image)
            out.setdefault(path, {})[str(block_result.block.line)] = text.split("\n")
    return out


def _positive(kind: type) -> Callable[[str], int | float]:
    """An argparse `type` for a positive number (jobs, timeouts), as the plugin's config."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        problem = settings.positive_problem("the value", value)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return value

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mathvault", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (
        ("check", "report every problem in the vault"),
        ("figures", "write generated figures into the vault"),
        ("prepare", "check, then stage the vault for an engine without MkDocs (Zensical)"),
    ):
        p = sub.add_parser(name, help=helptext)
        if name == "check":
            p.add_argument(
                "paths",
                nargs="*",
                default=["vault"],
                help="vault folders, or notes and folders inside a vault (default: vault)",
            )
            p.add_argument(
                "--vault",
                default=None,
                help="the vault the paths are in (default: the nearest folder with .obsidian/, "
                "else ./vault if it holds them, else the path itself)",
            )
        else:
            p.add_argument(
                "vault", nargs="?", default="vault", help="the vault folder (default: vault)"
            )
        p.add_argument("--cache", default=settings.CACHE_DIR, help="cache folder")
        p.add_argument(
            "--jobs", type=_positive(int), default=None, help="worker processes (default: CPUs)"
        )
        p.add_argument(
            "--timeout",
            type=_positive(float),
            default=settings.SNIPPET_TIMEOUT,
            help="seconds per snippet block",
        )
        if name in ("check", "prepare"):
            p.add_argument(
                "--no-execute", dest="execute", action="store_false", help="do not run snippets"
            )
            p.add_argument(
                "--no-verify", dest="verify", action="store_false", help="do not check formulas"
            )
            p.add_argument(
                "--time-limit",
                type=_positive(float),
                default=settings.CHECK_TIME_LIMIT,
                help="seconds per formula claim",
            )
            p.add_argument(
                "--format",
                choices=("text", "json"),
                default="text",
                help="json: one JSON record per formula claim on stdout (JSON Lines, "
                "fields in claim_schema.json); problems and summaries go to stderr",
            )
        if name == "prepare":
            p.add_argument(
                "--out",
                default="build/docs",
                help="the staged docs folder the engine builds from (default: build/docs)",
            )
            p.add_argument(
                "--strict", action="store_true", help="exit 1 when the check found problems"
            )
        if name == "figures":
            p.add_argument(
                "--into",
                default="attachments",
                help="folder inside the vault (default: attachments)",
            )
    args = parser.parse_args(argv)
    if args.command == "check":
        for raw in args.paths:
            if not Path(raw).exists():
                parser.error(f"{raw}: no such file or folder")
        if args.vault is not None and not Path(args.vault).is_dir():
            parser.error(f"--vault {args.vault}: not a folder")
    elif not Path(args.vault).is_dir():
        parser.error(f"{args.vault}: not a folder")
    commands = {"check": cmd_check, "figures": cmd_figures, "prepare": cmd_prepare}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
