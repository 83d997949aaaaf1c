"""Matching indexes kept between runs in the user's own cache folder.

Building an index of every claim or sentence takes minutes on a large
corpus; the saved file loads in seconds. It is a pickle, so a file other
people could have written is never read, and one made by other code (the
modules that decide what an index holds), for another database or from
another format is ignored: the caller builds afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from types import ModuleType

import platformdirs

import corpus.aliases
import corpus.claim_index
import corpus.claim_match
import corpus.claim_text
import corpus.figures
import corpus.numbers

# The modules whose code decides what a matching index holds: a cache made
# by other code is rebuilt.
MATCHING_CODE = (corpus.aliases, corpus.claim_index, corpus.claim_match, corpus.claim_text, corpus.figures,
                 corpus.numbers)


def index_cache_path(db_path: Path | str, kind: str) -> Path:
    """Where the ``kind`` index (``"sentences"``, ``"claims"``) of the database at ``db_path`` is kept."""
    from store.engine.base import is_url, safe_url

    where = safe_url(db_path) if is_url(db_path) else str(Path(db_path).resolve())
    name = hashlib.sha256(where.encode()).hexdigest()[:24]
    return Path(platformdirs.user_cache_dir("claimdesk")) / f"{kind}-{name}.pickle"


def code_version(modules: tuple[ModuleType, ...]) -> str:
    """A digest of the source of ``modules`` and of the active alias table: a change to
    any of them (a user's ``claimdesk aliases add``) gives another."""
    digest = hashlib.sha256(corpus.aliases.active_table().fingerprint().encode())
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def load_index_cache(path: Path, expected: dict) -> dict | None:
    """What :func:`save_index_cache` wrote at ``path``, if it is the user's own file and
    holds every item of ``expected`` with the same value; None otherwise."""
    try:
        stat = path.stat()
        if stat.st_uid != os.getuid() or stat.st_mode & 0o022:
            return None  # someone else could have written it: never unpickle
        with path.open("rb") as source:
            saved = pickle.load(source)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    if not isinstance(saved, dict) or any(saved.get(name) != value for name, value in expected.items()):
        return None
    return saved


def save_index_cache(path: Path, saved: dict) -> None:
    """Write ``saved`` to ``path`` at once (another process reads the old file or the new
    one, never half of one), readable and writable by the user only."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.stem}-")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(saved, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
