"""What the store needs of a database engine: :class:`Database`."""

from __future__ import annotations

import contextlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

Params = Sequence[Any] | Mapping[str, Any] | None

_URL = re.compile(r"^postgres(?:ql)?://", re.I)


def is_url(target: Path | str) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than an SQLite file."""
    return isinstance(target, str) and bool(_URL.match(target))


def safe_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages and logs."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def database_target(value: Path | str) -> Path | str:
    """A database as named on a command line or in ``$CLAIMDESK_DB``: a
    ``postgresql://`` URL as it is, anything else as a file path."""
    return value if is_url(value) else Path(value)


def shown(target: Path | str) -> str:
    """A database as messages name it: a file path, or a URL without its password."""
    return safe_url(str(target))


class Database(ABC):
    """One connection to a claimdesk database, and the few things the store
    does that engines spell differently.

    ``query``/``execute``/``executemany`` take SQLite-spelled SQL. Every write
    runs inside :meth:`write`, which holds the *team lock*: one writer at a
    time across every process and machine, so a check followed by a write
    (who may open this article?) cannot interleave with another's.
    """

    dialect: ClassVar[Literal["sqlite", "postgresql"]]
    # Shown in messages: a file path, or a URL without its password.
    name: str

    @abstractmethod
    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """The rows of ``sql`` as dicts."""

    @abstractmethod
    def execute(self, sql: str, params: Params = None) -> Any:
        """Run ``sql``; returns a DB-API cursor (``fetchone``, ``fetchall``, ``rowcount``, iteration)."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]] | Iterator[Sequence[Any]]) -> None:
        """Run ``sql`` once per row of parameters."""

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (values in ``columns`` order) into ``table``, inside a
        :meth:`write`, the fastest way the engine has (``claimdesk db copy``)."""
        names = ", ".join(f'"{name}"' for name in columns)
        self.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})', rows)

    @abstractmethod
    def write(self) -> contextlib.AbstractContextManager[Database]:
        """A write transaction holding the team lock, committed on exit, rolled back
        on error; inside another it joins that one."""

    @abstractmethod
    def bulk_write(self) -> contextlib.AbstractContextManager[Database]:
        """A :meth:`write` for background bulk work (ingest) that gives way to people."""

    @abstractmethod
    def snapshot(self) -> contextlib.AbstractContextManager[Database]:
        """A read transaction: every query inside sees one state of the database."""

    @property
    @abstractmethod
    def in_transaction(self) -> bool:
        """Whether a transaction (a write or a snapshot) is open on this connection."""

    @abstractmethod
    def schema_version(self) -> int:
        """The schema version recorded in the database (0 for a new, empty one)."""

    @abstractmethod
    def set_schema_version(self, version: int) -> None:
        ...

    @abstractmethod
    def table_names(self) -> list[str]:
        ...

    @abstractmethod
    def columns(self, table: str) -> list[str]:
        ...

    def checkpoint(self) -> Any:
        """After a long read: let the engine reclaim what the read kept alive."""
        return None

    @abstractmethod
    def changes(self) -> ChangeFeed:
        """A feed that wakes when another process commits a change (see :class:`ChangeFeed`)."""

    @abstractmethod
    def close(self) -> None:
        ...

    # Spellings that differ beyond what a translation of the SQL text can do.
    @abstractmethod
    def json_int(self, column: str, key: str) -> str:
        """SQL for the integer at ``key`` of the JSON object text in ``column`` (NULL if none)."""

    @abstractmethod
    def json_text(self, column: str, key: str) -> str:
        """SQL for the string at ``key`` of the JSON object text in ``column``."""

    @abstractmethod
    def seconds_between(self, earlier: str, later: str) -> str:
        """SQL for the seconds from the ISO time ``earlier`` to ``later``."""

    @abstractmethod
    def json_arrays(self, items: Sequence[str], *, json_items: Sequence[str] = ()) -> str:
        """SQL for an aggregate: the JSON text of an array holding, for each row
        of the group, the array of ``items`` (SQL expressions), ``'[]'`` for no
        rows. Items named in ``json_items`` are columns of JSON text, put in as
        JSON values rather than strings."""

    @abstractmethod
    def sha256_hex(self, first: str, second: str) -> str:
        """SQL for the lowercase hex SHA-256 of the UTF-8 of ``first``, a NUL byte
        and ``second`` (text expressions), which sorts byte by byte on both engines."""


class ChangeFeed(ABC):
    """Wakes a waiting thread when someone commits a change to the database.

    PostgreSQL pushes a notification (LISTEN/NOTIFY); SQLite has no such
    thing across processes, so its feed looks at the file's data version a few
    times a second. Either way :meth:`wait` returns True once per batch of
    changes committed by anyone since the last call, False on a timeout.
    """

    @abstractmethod
    def wait(self, timeout: float) -> bool:
        ...

    @abstractmethod
    def close(self) -> None:
        ...

    def __enter__(self) -> ChangeFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
