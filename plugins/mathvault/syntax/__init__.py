"""Obsidian syntax, recognised once: each construct has exactly one owner module.

- `fences`: where a fenced code block opens and closes (and the lines it masks);
- `frontmatter`: where the leading `---` properties block ends, and its YAML;
- `mathspans`: where `$...$` and `$$...$$` math starts and ends;
- `placeholders`: the private-use characters that stand for math and links in
  converted text;
- `markup`: headings, tags, block ids, wikilinks, `%%comments%%`, code spans.

The converter, the vault index, the snippet finder and the formula checker all import
these; nothing here imports anything else of mathvault.
"""
