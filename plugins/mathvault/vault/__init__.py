"""The vault core: Obsidian notes in, Markdown out, without a build.

`source` decodes a file, `syntax.frontmatter` splits its properties, `index` finds every
note's names, headings, block ids, tags and links once, `convert` rewrites one note's
Obsidian syntax into Markdown that Python-Markdown renders, `render` draws backlinks and
the home page, `slugs` makes heading ids, `files` decides what may be published.
Plain data in, plain data out: nothing here imports MkDocs or a front door.
"""
