"""Which filesystem a path lives on, from the kernel's mount table.

SQLite's WAL mode needs shared memory and POSIX locks that network
filesystems do not provide reliably: two annotators on an NFS home directory
can corrupt the database or lose each other's work. Detection reads
``/proc/mounts``; callers pass another table in tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

MOUNTS_TABLE = Path("/proc/mounts")

# Filesystem types whose locking SQLite cannot rely on. FUSE types are
# reported as ``fuse.<name>``; every FUSE filesystem in this list is remote.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs",
        "lustre", "gpfs", "beegfs", "ocfs2", "gfs2", "davfs", "coda",
        "fuse.sshfs", "fuse.glusterfs", "fuse.ceph", "fuse.cephfs", "fuse.s3fs", "fuse.rclone",
        "fuse.gcsfuse", "fuse.davfs", "fuse.beegfs", "fuse.moosefs", "fuse.lizardfs", "fuse.juicefs",
    }
)


class Mount(NamedTuple):
    """One line of the mount table: where it is mounted and its type."""

    point: str
    fstype: str


def _unescape(field: str) -> str:
    """The kernel writes space, tab, newline and backslash in mount points as octal escapes."""
    for code in ("\\040", "\\011", "\\012", "\\134"):
        field = field.replace(code, chr(int(code[1:], 8)))
    return field


def parse_mounts(table: str) -> list[Mount]:
    """The mounts listed in a ``/proc/mounts``-style table."""
    mounts = []
    for line in table.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mounts.append(Mount(_unescape(fields[1]), fields[2]))
    return mounts


def read_mount_table() -> str:
    """The running system's mount table ('' where there is none, e.g. macOS)."""
    try:
        return MOUNTS_TABLE.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _real(path: Path) -> Path:
    """The absolute path with symlinks resolved as far as it exists: a symlink
    from a local folder into an NFS mount is on NFS."""
    return Path(os.path.realpath(path))


def mount_of(path: Path | str, table: str | None = None) -> Mount | None:
    """The mount holding ``path``: the longest mount point that contains it.

    Later lines win over earlier ones with the same mount point, as in the
    kernel, where a later mount hides an earlier one.
    """
    target = _real(Path(path))
    best: Mount | None = None
    for mount in parse_mounts(read_mount_table() if table is None else table):
        point = Path(mount.point)
        if (target == point or point in target.parents) and (best is None or len(mount.point) >= len(best.point)):
            best = mount
    return best


def network_mount(path: Path | str, table: str | None = None) -> Mount | None:
    """The network mount holding ``path``, or None when it is on a local disk."""
    mount = mount_of(path, table)
    return mount if mount and mount.fstype.lower() in NETWORK_FS_TYPES else None
