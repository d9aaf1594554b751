"""`mathvault` command line: check a vault, or write its generated figures, without MkDocs.

    mathvault check [VAULT]     links, embeds, frontmatter, snippets and formulas; exit 1 on problems
    mathvault figures [VAULT]   run the snippets and copy their figures into the vault
                                (never replacing a file), listing every file written
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from . import convert
from .index import VaultIndex
from .vaultfs import walk_vault


def _index(vault: Path) -> tuple[VaultIndex, list[str]]:
    paths, skipped = walk_vault(vault)
    root = vault.resolve()

    def read(path: str) -> bytes:
        with open(root / path, "rb") as fh:
            return fh.read()

    index = VaultIndex(paths, read)
    index.scan_all()
    return index, [f"{vault.as_posix()}/{p}:1: {why}; not published" for p, why in skipped]


def _engine(vault: Path, cache: Path, args):
    from .snippets import SnippetEngine
    return SnippetEngine(vault, cache / "snippets", jobs=args.jobs, timeout=args.timeout)


def cmd_check(args) -> int:
    vault = Path(args.vault)
    index, problems = _index(vault)
    shown = vault.as_posix().rstrip("/")
    engine = None
    if args.execute:
        engine = _engine(vault, Path(args.cache), args)
        for path in index.note_paths:
            engine.submit(path, index.note(path).text)
    checker = None
    if args.verify:
        from .checks import Checker
        checker = Checker(Path(args.cache) / "checks", args.jobs or os.cpu_count() or 1, args.time_limit)
        for path in index.note_paths:
            checker.submit(path, index.note(path).text)
    if engine is not None:
        engine.wait_all()
        for name, real in engine.generated().items():
            if not any(p.rsplit("/", 1)[-1] == name for p in index.paths):
                index.add_generated(f"_mathvault/generated/{name}", str(real))
    counts = {"notes": 0, "refuted": 0}
    for path in index.note_paths:
        counts["notes"] += 1
        ctx = convert.Context(index, path)
        convert.convert_note(index.note(path), ctx)
        problems += [f"{shown}/{p.path}:{p.line}: {p.message}" for p in ctx.problems]
        if engine is not None and (result := engine.result(path)) is not None:
            for block in result.blocks:
                if block.error:
                    problems.append(f"{shown}/{path}:{block.error_line}: snippet {block.status}: {block.error}")
        if checker is not None:
            for c in checker.claims(path):
                if c["verdict"] == "refuted":
                    counts["refuted"] += 1
                    problems.append(f"{shown}/{path}:{c['line']}: formula refuted: {c['latex'].strip()} "
                                    f"({c.get('counterexample') or c['reason']})")
    for line in dict.fromkeys(problems):
        print(line)
    if engine is not None:
        print(engine.summary())
        engine.close()
    if checker is not None:
        print("mathvault: " + checker.summary())
        checker.close()
    print(f"mathvault: {counts['notes']} notes checked, {len(set(problems))} problems")
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
            print(f"kept {dest.relative_to(root).as_posix()}: a file of that name exists (not replaced)",
                  file=sys.stderr)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real, dest)
        print(f"wrote {vault.as_posix().rstrip('/')}/{dest.relative_to(root).as_posix()}")
    print(engine.summary(), file=sys.stderr)
    engine.close()
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mathvault", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (("check", "report every problem in the vault"),
                           ("figures", "write generated figures into the vault")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("vault", nargs="?", default="vault", help="the vault folder (default: vault)")
        p.add_argument("--cache", default=".cache/plugin/mathvault", help="cache folder")
        p.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPUs)")
        p.add_argument("--timeout", type=float, default=60, help="seconds per snippet block")
        if name == "check":
            p.add_argument("--no-execute", dest="execute", action="store_false", help="do not run snippets")
            p.add_argument("--no-verify", dest="verify", action="store_false", help="do not check formulas")
            p.add_argument("--time-limit", type=float, default=3.0, help="seconds per formula claim")
        else:
            p.add_argument("--into", default="attachments", help="folder inside the vault (default: attachments)")
    args = parser.parse_args(argv)
    if not Path(args.vault).is_dir():
        parser.error(f"{args.vault}: not a folder")
    return {"check": cmd_check, "figures": cmd_figures}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
