"""Options of the unit and golden tests (their helpers are in tests/helpers.py).

- `--update-golden`: rewrite tests/golden/*.out from the current converter (then review
  the change with `git diff tests/golden`).
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected output of the converter's golden cases (tests/golden/)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
