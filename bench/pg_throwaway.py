"""A throwaway PostgreSQL server: its own cluster in a temporary folder, reached
on a Unix socket there, owned by the unprivileged ``postgres`` user when run as
root (``initdb`` refuses root). The tests (tests/pg_support.py) and the
benches (bench/bench_stress.py) start one each.

The tests run it with ``fsync=off`` (nothing they check needs the disk); a
bench that times commits runs it with ``fsync=True``, so a commit waits for
the disk as it would on a real server.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started on this machine; the message says why."""


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and (Path(os.path.realpath(found)).parent / "postgres").exists():
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


class Server:
    """One running cluster; :meth:`new_database` hands out empty databases."""

    def __init__(self, *, fsync: bool = False, max_connections: int = 300) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise Unavailable("no PostgreSQL server installed (Debian package `postgresql`)")
        self.bin = bin_dir
        self.fsync = fsync
        self.folder = Path(tempfile.mkdtemp(prefix="claimdesk-pg-"))
        self.user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.folder, ignore_errors=True)
                raise Unavailable("running as root and there is no `postgres` user to run the server as") from None
            self.user = "postgres"
            shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-locale", "-E", "UTF8")
        durability = "" if fsync else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        options = (f"-k {self.folder} -c listen_addresses='' {durability}"
                   f"-c max_connections={max_connections}")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")
        self._numbers = itertools.count(1)
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE claimdesk")

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run([str(self.bin / program), *args], user=self.user, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{program} failed: {result.stderr or result.stdout}")

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        options = f"&options=-csearch_path%3D{schema}" if schema else ""
        return f"postgresql://postgres@/{database}?host={self.folder}{options}"

    def new_database(self) -> str:
        """The URL of an empty claimdesk database: a schema of its own in one
        database, which is made in milliseconds where CREATE DATABASE takes 0.25 s."""
        import psycopg

        name = f"t{next(self._numbers)}"
        with psycopg.connect(self.url("claimdesk"), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url("claimdesk", name)

    def stop(self) -> None:
        subprocess.run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       user=self.user, capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
