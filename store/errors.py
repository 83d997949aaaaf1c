"""The store's exceptions, importable without loading SQLite tooling."""


class StoreError(Exception):
    """A problem with the database that the user can act on; the message says how."""


class DatabaseMissing(StoreError):
    """Opened without ``create`` where there is no claimdesk database yet."""


class ConnectionLost(StoreError):
    """The connection to the database server broke (it restarted, or a network
    went down): the change in progress was not made; a new connection may work."""


class SpanError(StoreError):
    """A span that cannot be stored: out of range, empty, or an unknown label."""


class SpanConflict(StoreError):
    """The span changed (or went) since this session last read it."""


def database_problem(err: BaseException, path: object = "the database") -> str | None:
    """One line saying what is wrong with the database file and what to do, for
    an SQLite error a person can act on; None for any other exception (a bug,
    which should show as one).

    Every such failure happens inside a transaction that SQLite rolls back, so
    each message can say that nothing already stored was touched.
    """
    import sqlite3  # here, so importing the store's exceptions stays cheap

    if not isinstance(err, sqlite3.Error):
        return None
    text = str(err)
    lower = text.lower()
    if "readonly" in lower or "read-only" in lower:
        return (
            f"{path} cannot be written (read-only: file permissions, an immutable flag or a read-only mount); "
            "nothing was changed. Ask for write access, or copy the file and use --db on the copy"
        )
    if "disk is full" in lower or isinstance(err, sqlite3.OperationalError) and "full" in lower:
        return (
            f"the disk holding {path} is full; the change in progress was undone and everything stored before "
            "is kept. Free some space and run the same command again (what went in already is skipped)"
        )
    if lower.startswith("no such table") or lower.startswith("no such column"):
        return (
            f"{path} is damaged or was changed by another tool ({text}); nothing was changed. "
            "Restore it from a backup"
        )
    if "malformed" in lower or "not a database" in lower or "disk i/o error" in lower or "corrupt" in lower:
        return (
            f"{path} is damaged ({text}); nothing was changed. Restore it from a backup, or try "
            f"`sqlite3 {path} .recover`"
        )
    if "unable to open" in lower:
        return f"cannot open {path} ({text}): check that the file and its folder exist and are readable"
    return None
