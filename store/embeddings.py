"""The semantic scorer's embeddings, computed once per text and kept in the user's cache folder.

:func:`open_embedder` gives an :class:`Embedder` when a sentence-embedding
model is installed (:func:`corpus.semantic.find_model`) and None otherwise:
then every caller behaves exactly as without the scorer. The vectors are
kept in a small SQLite file per model (``embeddings-<model>.sqlite`` in the
cache folder), keyed by a digest of the text that is embedded, so a claim
is embedded once however many databases, runs or indexes ask for it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import platformdirs

from corpus.semantic import SentenceEncoder, embedding_text, find_model, load_encoder

# Texts embedded per batch between two progress calls and two cache writes.
_CHUNK = 256


def _model_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in ("config.json", "vocab.txt"):
        digest.update((folder / name).read_bytes())
    digest.update(str((folder / "model.safetensors").stat().st_size).encode())
    return digest.hexdigest()[:16]


class Embedder:
    """An encoder with a cache of the vectors it has made: :meth:`vectors`."""

    def __init__(self, encoder: SentenceEncoder, cache: Path | None, model: str) -> None:
        self.encoder = encoder
        self.model = model
        self.cache = cache
        self._db: sqlite3.Connection | None = None
        self.computed = 0  # texts embedded (not found in the cache) by this embedder

    def _connection(self) -> sqlite3.Connection | None:
        if self.cache is None:
            return None
        if self._db is None:
            self.cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # One worker owns the embedder at a time, but not always the same thread.
            self._db = sqlite3.connect(self.cache, check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS vectors (digest BLOB PRIMARY KEY, vector BLOB NOT NULL)")
            os.chmod(self.cache, 0o600)
        return self._db

    def vectors(self, texts: Sequence[str], *, on_progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit vectors of ``texts`` (``len(texts) x dimensions`` float32), from the cache
        where it has them; ``on_progress(done)`` while the others are computed."""
        prepared = [embedding_text(text) for text in texts]
        digests = [hashlib.sha1(text.encode()).digest() for text in prepared]
        out = np.zeros((len(texts), self.encoder.dimensions), dtype=np.float32)
        db = self._connection()
        known: dict[bytes, np.ndarray] = {}
        if db is not None:
            unique = list(dict.fromkeys(digests))
            for start in range(0, len(unique), 500):
                part = unique[start:start + 500]
                rows = db.execute(f"SELECT digest, vector FROM vectors WHERE digest IN ({','.join('?' * len(part))})", part)
                known.update((digest, np.frombuffer(vector, dtype=np.float32)) for digest, vector in rows)
        todo = [i for i, digest in enumerate(digests) if digest not in known]
        for i, digest in enumerate(digests):
            if digest in known:
                out[i] = known[digest]
        done = len(texts) - len(todo)
        for start in range(0, len(todo), _CHUNK):
            chunk = todo[start:start + _CHUNK]
            made = self.encoder.encode([prepared[i] for i in chunk])
            out[chunk] = made
            self.computed += len(chunk)
            if db is not None:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                               [(digests[i], vector.tobytes()) for i, vector in zip(chunk, made)])
                db.commit()
            done += len(chunk)
            if on_progress is not None:
                on_progress(done)
        return out

    def close(self) -> None:
        """Close the cache file."""
        if self._db is not None:
            self._db.close()
            self._db = None


def embeddings_cache_path(model: str) -> Path:
    """Where the vectors of ``model`` are kept: the user's cache folder."""
    return Path(platformdirs.user_cache_dir("claimdesk")) / f"embeddings-{model}.sqlite"


def open_embedder(*, cache: bool = True) -> Embedder | None:
    """The semantic scorer, or None when no model is installed (or it is turned off
    with ``CLAIMDESK_SEMANTIC_MODEL=off``). A broken model raises
    :class:`corpus.semantic.ModelError`, which names the file."""
    folder = find_model()
    if folder is None:
        return None
    encoder = load_encoder(folder)
    model = _model_digest(folder)
    return Embedder(encoder, embeddings_cache_path(model) if cache else None, model)
