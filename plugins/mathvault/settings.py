"""Defaults and limits shared by every front door (the MkDocs plugin's `mathvault:`
config and the `mathvault` command line), so they cannot drift apart."""

from __future__ import annotations

import math

CACHE_DIR = ".cache/plugin/mathvault"  # relative to mkdocs.yml (plugin) or the working dir (CLI)
SNIPPET_TIMEOUT = 60  # seconds a note's snippet block may run
SNIPPET_MEMORY_MB = 2048  # address-space limit of a snippet worker
CHECK_TIME_LIMIT = 3.0  # seconds the formula checker may spend on one claim
PRUNE_THRESHOLD = 300  # notes above which Material's navigation.prune is turned on


def positive_problem(name: str, value: object) -> str | None:
    """Why `value` is no good for the setting `name` that must be a positive number
    (jobs, timeouts, limits), or None. `True` is no number; nan and inf are refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{name} must be a positive number, not {value!r}"
    if not (value > 0 and math.isfinite(value)):
        return f"{name} must be a positive number, not {value!r}"
    return None
