"""mathvault: publish an Obsidian vault of math notes with MkDocs + Material.

The core knows nothing of MkDocs and works on plain data:

- ``syntax/``: Obsidian syntax, one owner module per construct (fences, frontmatter,
  math spans, placeholders, markup);
- ``vault/``: read, index, convert and render the notes of a vault;
- ``snippets/``: run ```` ```python exec ```` fences in sandboxed workers;
- ``verify/``: check formulas with SymPy (``verify.pool`` runs it in worker processes);
- ``problems.py``, ``settings.py``: problems as data, the defaults every door shares.

The front doors call it: ``mkdocs/`` (the MkDocs plugin, entry point ``mathvault``) and
``cli.py`` (the ``mathvault`` command). docs/architecture.md draws the layers; the
import-linter contracts in pyproject.toml enforce them.
"""

__version__ = "0.1.0"
