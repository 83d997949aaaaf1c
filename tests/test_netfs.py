"""A database on a network filesystem is refused, with a local path to use instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store, StoreError
from store import mounts
from store.db import check_local_filesystem
from store.mounts import mount_of, network_mount, parse_mounts

TABLE = """\
/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
tmpfs /tmp tmpfs rw 0 0
fileserver:/export/home /home nfs4 rw,vers=4.2 0 0
//nas/projects /srv/projects cifs rw 0 0
alice@box:/data /mnt/ssh\\040share fuse.sshfs rw 0 0
/dev/vdb /home/alice/local-disk ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/home/bob/claims.db", "nfs4"),
        ("/home", "nfs4"),
        ("/srv/projects/team/claimdesk.db", "cifs"),
        ("/mnt/ssh share/claimdesk.db", "fuse.sshfs"),
    ],
)
def test_network_mounts_are_recognised(path, fstype):
    assert network_mount(path, TABLE).fstype == fstype


@pytest.mark.parametrize("path", ["/var/lib/claimdesk.db", "/tmp/x.db", "/home/alice/local-disk/claims.db", "/homework/x.db"])
def test_local_paths_are_not_network(path):
    assert network_mount(path, TABLE) is None


@pytest.mark.parametrize("fstype", ["nfs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre"])
def test_every_listed_network_type_is_refused(fstype):
    table = f"/dev/vda / ext4 rw 0 0\nserver:/x /shared {fstype} rw 0 0\n"
    with pytest.raises(StoreError, match=fstype):
        check_local_filesystem("/shared/claimdesk.db", allow=False, table=table)


def test_octal_escapes_in_mount_points_are_decoded():
    assert parse_mounts(TABLE)[5].point == "/mnt/ssh share"


def test_a_later_mount_on_the_same_point_hides_the_earlier_one():
    table = "server:/x /data nfs rw 0 0\n/dev/vdc /data ext4 rw 0 0\n"
    assert mount_of("/data/c.db", table).fstype == "ext4"


def test_refusal_names_the_mount_and_a_local_path():
    with pytest.raises(StoreError) as refused:
        check_local_filesystem("/home/bob/claims.db", allow=False, table=TABLE)
    message = str(refused.value)
    assert "nfs4 mounted at /home" in message
    assert "CLAIMDESK_ALLOW_NETWORK_FS=1" in message
    # The suggested folder is itself local: not /home (NFS here) but e.g. /var/tmp.
    suggested = message.split("such as ")[1].split(" ")[0]
    assert suggested.endswith("claims.db")
    assert network_mount(suggested, TABLE) is None


def test_the_flag_and_the_environment_variable_override(monkeypatch):
    check_local_filesystem("/home/bob/claims.db", allow=True, table=TABLE)
    monkeypatch.setenv("CLAIMDESK_ALLOW_NETWORK_FS", "1")
    check_local_filesystem("/home/bob/claims.db", table=TABLE)


def test_opening_a_store_on_a_network_mount_fails_before_creating_anything(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("CLAIMDESK_ALLOW_NETWORK_FS", raising=False)
    monkeypatch.setattr(mounts, "read_mount_table", lambda: f"/dev/vda / ext4 rw 0 0\nsrv:/x {tmp_path} nfs rw 0 0\n")
    path = tmp_path / "team.db"
    with pytest.raises(StoreError, match="network filesystem"):
        Store(path)
    assert not path.exists()
    monkeypatch.setenv("CLAIMDESK_ALLOW_NETWORK_FS", "1")
    with Store(path) as store:
        assert store.labels.all()
