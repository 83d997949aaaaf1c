"""Output files that appear whole or not at all.

Each output is written under a temporary name in the target folder, created
exclusively (``O_EXCL``, and ``O_NOFOLLOW`` so a planted symbolic link is
never followed), and renamed to its final name only when the export has
finished. An interrupted export therefore never leaves a half file under the
final name; an existing file is replaced only with ``force``. Folder outputs
(brat) are built the same way: a temporary folder, renamed at the end.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
from hashlib import sha256
from pathlib import Path
from typing import BinaryIO

from store.export.query import ExportError

_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Extensions a previous brat export leaves in its folder: only such a folder is replaced with --force.
BRAT_FOLDER_FILES = {".txt", ".ann", ".conf"}
MAX_NAME = 120


def create_exclusive(path: Path) -> BinaryIO:
    """A new file opened for writing; fails if anything, even a dangling link, is there."""
    return os.fdopen(os.open(path, _FILE_FLAGS, 0o666), "wb", buffering=1 << 16)


def safe_name(article_id: str) -> str:
    """A file name (without extension) for an article id that can only ever
    name a file inside the output folder.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become
    ``_``, leading dots are dropped (no ``..``, no hidden files), and when
    anything had to change a short hash of the id is added, so two ids never
    share a name (``a/b`` and ``a_b`` stay apart).
    """
    name = _UNSAFE.sub("_", article_id).lstrip(".")[:MAX_NAME]
    if name != article_id or not name:
        name = f"{name or 'article'}-{sha256(article_id.encode('utf-8')).hexdigest()[:10]}"
    return name


def _temporary_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.{secrets.token_hex(6)}.part")


def _check_target(final: Path, force: bool, folder: bool) -> None:
    if not final.parent.is_dir():
        raise ExportError(f"{final}: the folder {final.parent} does not exist")
    if not os.path.lexists(final):
        return
    if not force:
        raise ExportError(f"{final} exists; add --force to replace it")
    if folder:
        if final.is_symlink() or not final.is_dir():
            raise ExportError(f"{final} exists and is not a folder; remove it first")
        strangers = [p.name for p in final.iterdir() if p.is_dir() or p.suffix not in BRAT_FOLDER_FILES]
        if strangers:
            raise ExportError(
                f"{final} holds more than a brat export ({strangers[0]!r}); it is not replaced even with --force"
            )
    elif final.is_dir() and not final.is_symlink():
        raise ExportError(f"{final} is a folder; name a file")


class OutputFile:
    """One output file: ``stream`` to write to, then :meth:`commit` or :meth:`abort`.

    ``Path("-")`` writes straight to standard output (nothing to rename).
    """

    def __init__(self, final: Path, *, force: bool) -> None:
        self.final = final
        self.to_stdout = str(final) == "-"
        self.temporary: Path | None = None
        if self.to_stdout:
            self.stream: BinaryIO = sys.stdout.buffer
            return
        _check_target(final, force, folder=False)
        self.force = force
        self.temporary = _temporary_name(final)
        self.stream = create_exclusive(self.temporary)

    def commit(self) -> None:
        """Make the file durable and give it its final name."""
        if self.to_stdout:
            self.stream.flush()
            return
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        if self.force:
            os.replace(self.temporary, self.final)
        else:
            _rename_no_clobber(self.temporary, self.final)
        self.temporary = None

    def abort(self) -> None:
        """Remove the temporary file (the final name was never touched)."""
        if self.temporary is None:
            return
        self.stream.close()
        self.temporary.unlink(missing_ok=True)
        self.temporary = None


def _rename_no_clobber(source: Path, final: Path) -> None:
    """Rename, failing if ``final`` appeared meanwhile (a hard link is atomic about that)."""
    try:
        os.link(source, final, follow_symlinks=False)
    except FileExistsError:
        source.unlink(missing_ok=True)
        raise ExportError(f"{final} appeared while exporting; add --force to replace it") from None
    except OSError:
        # File systems without hard links: check, then rename.
        if os.path.lexists(final):
            source.unlink(missing_ok=True)
            raise ExportError(f"{final} appeared while exporting; add --force to replace it") from None
        os.replace(source, final)
        return
    source.unlink()


class OutputFolder:
    """A folder of files (brat), built under a temporary name and renamed at the end."""

    def __init__(self, final: Path, *, force: bool) -> None:
        if str(final) == "-":
            raise ExportError("this format writes a folder of files; --out - (standard output) is not possible")
        _check_target(final, force, folder=True)
        self.final = final
        self.force = force
        self.temporary: Path | None = _temporary_name(final)
        self.temporary.mkdir(mode=0o777)
        self._names: set[str] = set()

    def create(self, name: str) -> BinaryIO:
        """A new file in the folder; ``name`` must come from :func:`safe_name`."""
        if name in self._names or "/" in name or name.startswith("."):
            raise ExportError(f"refusing to write {name!r} twice or outside {self.final}")
        self._names.add(name)
        return create_exclusive(self.temporary / name)

    def commit(self) -> None:
        """Give the folder its final name (replacing a previous brat export with ``force``)."""
        for name in self._names:
            with open(self.temporary / name, "rb") as written:
                os.fsync(written.fileno())
        old = None
        if self.force and os.path.lexists(self.final):
            old = _temporary_name(self.final)
            os.rename(self.final, old)
        try:
            os.rename(self.temporary, self.final)
        except OSError:
            if old is not None:
                os.rename(old, self.final)
            raise
        self.temporary = None
        if old is not None:
            shutil.rmtree(old)

    def abort(self) -> None:
        """Remove the temporary folder and what was written in it."""
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None
