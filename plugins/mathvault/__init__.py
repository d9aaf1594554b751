"""mathvault: publish an Obsidian vault of math notes with MkDocs + Material.

The core modules here (index, links, convert, snippets, verify) know nothing of
MkDocs; ``plugin.py`` is the only adapter.
"""

__version__ = "0.1.0"
