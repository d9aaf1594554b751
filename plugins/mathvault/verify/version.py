"""The checker's version: bump it whenever a verdict can change (it keys every cache).

Kept apart from note.py so a build can key its cache without importing SymPy."""

VERIFIER_VERSION = "6"
