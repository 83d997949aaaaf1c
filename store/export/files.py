"""Output files that appear whole or not at all.

Each output is written under a temporary name in the target folder, created
exclusively (``O_EXCL``, and ``O_NOFOLLOW`` so a planted symbolic link is
never followed), and renamed to its final name only when the export has
finished. An interrupted export therefore never leaves a half file under the
final name; an existing file is replaced only with ``force``. Folder outputs
(brat) are built the same way: a temporary folder, renamed at the end.

Only a regular file (or a symbolic link itself, never what it points to) is
ever replaced. A character device or a FIFO (``/dev/null``, ``/dev/stdout``,
a named pipe) is written straight into, with no temporary name; any other
special file is refused. Each temporary file is locked while its export runs,
so the next export can tell one left by an export that died (``kill -9``, a
full disk) from one still being written: the dead ones are removed, and the
report says so.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
import stat
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


def _lock(fd: int) -> None:
    """Mark a temporary file (or folder) as in use until ``fd`` is closed (or the process dies)."""
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def remove_stale_temporaries(final: Path) -> list[str]:
    """Remove the temporary files and folders of ``final`` that no running export
    holds (left by an export that was killed or hit a full disk); their names."""
    pattern = re.compile(rf"\.{re.escape(final.name)}\.[0-9a-f]{{12}}\.part")
    removed = []
    try:
        names = sorted(n for n in os.listdir(final.parent) if pattern.fullmatch(n))
    except OSError:
        return removed
    for name in names:
        path = final.parent / name
        try:
            info = os.lstat(path)
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
                continue  # never a link or a device: only what an export itself makes
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            _lock(fd)
        except OSError:
            continue  # an export is writing it right now
        finally:
            os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(name)
    return removed


def _stale_note(removed: list[str]) -> list[str]:
    if not removed:
        return []
    what = "a stale temporary file" if len(removed) == 1 else f"{len(removed)} stale temporary files"
    return [f"removed {what} left by an interrupted export: {', '.join(removed)}"]


def _kind(mode: int) -> str | None:
    """What a special file is, for messages; None for a regular file or a folder."""
    for test, name in ((stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISFIFO, "a FIFO")):
        if test(mode):
            return name
    return None


def streams_into(final: Path) -> str | None:
    """``a character device`` or ``a FIFO`` when ``final`` is (or links to) one,
    which the export writes straight into; None otherwise."""
    try:
        mode = os.stat(final).st_mode
    except OSError:
        return None
    return _kind(mode) if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) else None


def _open_stream(final: Path) -> BinaryIO:
    """``final`` opened to write into, checked to be a device or FIFO once open
    (never created, never truncated: if it was swapped for a file meanwhile,
    that file is left alone)."""
    fd = os.open(final, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        os.close(fd)
        raise ExportError(f"{final} changed while the export started; nothing was written")
    return os.fdopen(fd, "wb", buffering=1 << 16)


def _through_links(final: Path) -> list[str]:
    """A note when the folder of ``final`` is reached through a symbolic link, so
    the files land somewhere other than the path says."""
    named, real = os.path.abspath(final.parent), os.path.realpath(final.parent)
    return [] if named == real else [f"{final.parent} is a symbolic link (or lies under one): written into {real}"]


def _check_target(final: Path, force: bool, folder: bool) -> None:
    if not final.parent.is_dir():
        raise ExportError(f"{final}: the folder {final.parent} does not exist")
    if not os.path.lexists(final):
        return
    special = _kind(os.lstat(final).st_mode)
    if special:
        raise ExportError(
            f"{final} is {special}; an export writes a regular file, or straight into a character device "
            "(such as /dev/null) or a FIFO, and replaces nothing else, even with --force"
        )
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
        self.notes: list[str] = []  # for the report: what was done besides writing
        self.direct = streams_into(final) if not self.to_stdout else None
        if self.to_stdout:
            self.stream: BinaryIO = sys.stdout.buffer
            return
        if self.direct:
            # Nothing to replace: the data goes into the device or pipe itself.
            self.stream = _open_stream(final)
            if os.path.islink(final):
                self.notes.append(f"{final} is a symbolic link to {self.direct} ({os.path.realpath(final)}); "
                                  "written into it")
            return
        _check_target(final, force, folder=False)
        self.force = force
        self.notes += _through_links(final) + _stale_note(remove_stale_temporaries(final))
        if force and os.path.islink(final):
            self.notes.append(f"replaced the symbolic link {final} itself; what it pointed to "
                              f"({os.path.realpath(final)}) is untouched")
        self.temporary = _temporary_name(final)
        self.stream = create_exclusive(self.temporary)
        _lock(self.stream.fileno())

    def commit(self) -> None:
        """Make the file durable and give it its final name."""
        if self.to_stdout:
            self.stream.flush()
            return
        if self.direct:
            self.stream.close()  # flushes; a device or a pipe has nothing to make durable
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
        if self.direct and not self.stream.closed:
            try:
                self.stream.close()
            except OSError:
                pass  # what could not be written is already reported
            return
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
        self.notes = _through_links(final) + _stale_note(remove_stale_temporaries(final))
        self.temporary: Path | None = _temporary_name(final)
        self.temporary.mkdir(mode=0o777)
        self._lock_fd: int | None = os.open(self.temporary, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        _lock(self._lock_fd)
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
        self._unlock()
        if old is not None:
            shutil.rmtree(old)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def abort(self) -> None:
        """Remove the temporary folder and what was written in it."""
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None
        self._unlock()
