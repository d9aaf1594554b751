"""Page URLs as MkDocs-style engines make them, for doors whose engine does not hand them
over (the Python-Markdown extension): `a/b.md` is served at `a/b/` (directory URLs) or
`a/b.html`, `a/index.md` and `a/README.md` at `a/`; any other file where it lies.
"""

from __future__ import annotations

import posixpath


def page_url(path: str, directory_urls: bool = True) -> str:
    """The site URL (relative to the site root) of vault file `path`."""
    if not path.lower().endswith(".md"):
        return path
    folder, name = posixpath.split(path[:-3])
    if name.lower() in ("index", "readme"):
        return f"{folder}/" if folder else "./"
    if not directory_urls:
        return f"{folder}/{name}.html" if folder else f"{name}.html"
    return f"{folder}/{name}/" if folder else f"{name}/"


def relative_url(target: str, page: str) -> str:
    """`target` URL relative to `page` URL, as mkdocs.utils.get_relative_url computes it
    (the last part of `page` is a file unless the URL ends with "/"), without its cost."""
    base = [p for p in page.split("/")[:-1] if p != "."]
    parts = target.split("/")
    if parts[0] == "." and len(parts) > 1:
        parts = parts[1:]
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "./"
