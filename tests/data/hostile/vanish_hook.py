"""MkDocs hook for the `vanishing` case: files disappear while the build runs.

MkDocs lists the docs folder first; this hook then deletes `vanish/early.*` before
mathvault indexes (on_files, priority 100 > mathvault's -100) and `vanish/late.png`
after the index was built (on_nav), as another program deleting files mid-build would.
Deterministic, unlike a racing thread.
"""

from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(100)
def on_files(files, config):
    for name in ("early.md", "early.png"):
        (Path(config.docs_dir) / "vanish" / name).unlink(missing_ok=True)
    return files


def on_nav(nav, config, files):
    (Path(config.docs_dir) / "vanish" / "late.png").unlink(missing_ok=True)
    return nav
