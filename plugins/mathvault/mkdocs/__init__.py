"""The MkDocs front door: the `mathvault` plugin and its glue to the core.

`plugin` wires MkDocs' build events to the core (its top comment tells the event flow),
`config` is the typed, validated `mathvault:` settings block, `snippets_glue` and
`checks_glue` connect the snippet engine and the formula checker to a build,
`site_assets` writes MathJax and our CSS, `serve_watch` watches the vault under
`mkdocs serve`. Only this package imports MkDocs.
"""
