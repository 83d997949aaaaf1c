"""The store's exceptions, importable without loading SQLite tooling."""


class StoreError(Exception):
    """A problem with the database that the user can act on; the message says how."""


class SpanError(StoreError):
    """A span that cannot be stored: out of range, empty, or an unknown label."""


class SpanConflict(StoreError):
    """The span changed (or went) since this session last read it."""
