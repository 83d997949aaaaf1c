"""A throwaway PostgreSQL server for the tests: bench/pg_throwaway.py's cluster
(a temporary folder, a Unix socket, ``fsync=off``), shared with the benches.

Tests that need it skip, naming the reason, only where no server binaries
exist; ``CLAIMDESK_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

REQUIRE_ENV = "CLAIMDESK_REQUIRE_POSTGRES"


def _throwaway():
    if "pg_throwaway" not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "bench" / "pg_throwaway.py"
        spec = importlib.util.spec_from_file_location("pg_throwaway", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["pg_throwaway"] = module
        spec.loader.exec_module(module)
    return sys.modules["pg_throwaway"]


def unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{reason}, and {REQUIRE_ENV} is set (CI must run the PostgreSQL tests)")
    pytest.skip(reason)


class Server(_throwaway().Server):
    """One running cluster; :meth:`new_database` hands out empty databases."""

    def __init__(self) -> None:
        try:
            super().__init__(fsync=False)
        except _throwaway().Unavailable as why:
            unavailable(str(why))
