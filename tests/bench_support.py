"""The benchmarks under bench/ imported as modules, for the tests that run their short forms."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str) -> Iterator[ModuleType]:
    """``bench/<name>.py`` loaded as the module ``name`` for as long as the generator lives
    (a fixture body: ``yield from bench_module("bench_stress")``)."""
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]


# The engines a bench's short form runs on; a module-scoped fixture takes them as params.
ENGINES = ["sqlite", "postgresql"]


def new_database(request, engine: str, folder: Path, name: str) -> Path | str:
    """Where a bench run on ``engine`` keeps its database: ``folder/name`` on
    SQLite, the URL of an empty database of the test server on PostgreSQL."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_server").new_database()
    return folder / name
