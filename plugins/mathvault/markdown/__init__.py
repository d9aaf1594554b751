"""Front door 3: the `mathvault` Python-Markdown extension (entry point
`markdown.extensions: mathvault`), for engines that run Python-Markdown extensions but no
MkDocs plugins (Zensical). `extension` wires Python-Markdown's processors to the core,
`vaults` keeps the vault index across pages, `engine_page` is the one function that reads
an engine's internals (which page is being converted). Imports no MkDocs.
"""

from .extension import MathvaultExtension, makeExtension

__all__ = ["MathvaultExtension", "makeExtension"]
