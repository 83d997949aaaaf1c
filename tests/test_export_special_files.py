"""`export --out` onto things that are not regular files: devices and FIFOs are
written into, never replaced; other special files are refused; links are
never followed out of sight; temporary files of dead exports are cleaned up."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import stat
import threading

import pytest

from test_export_fixtures import export_db  # noqa: F401  (fixture)
from tui.cli import main

pytestmark = pytest.mark.both_engines


def _export(db, out, *extra, fmt="jsonl") -> int:
    return main(["export", "--db", str(db), "-f", fmt, "-o", str(out), "--quiet", *extra])


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_out_dev_null_works_and_dev_null_stays_a_device(export_db, capsys, force):
    assert _export(export_db, "/dev/null", *force) == 0
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert "exported 15 articles" in capsys.readouterr().err  # the summary is never mixed into a stream


def test_a_full_device_is_an_error_and_stays_a_device(export_db, capsys):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    assert _export(export_db, "/dev/full", "--force") == 2
    err = capsys.readouterr().err
    assert "cannot write /dev/full" in err and "No space left" in err
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_a_fifo_is_written_into_not_replaced(export_db, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert _export(export_db, fifo, "--force") == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    lines = received[0].decode().splitlines()
    assert lines and all(json.loads(line)["text"] for line in lines)
    captured = capsys.readouterr()
    assert captured.out == "" and "exported" in captured.err  # the data may be on stdout: the summary is not
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_socket_is_refused_even_with_force(export_db, tmp_path, capsys):
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert _export(export_db, path, "--force") == 2
    finally:
        server.close()
    assert "is a socket; an export writes a regular file" in capsys.readouterr().err
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_link_to_a_device_is_written_into_and_said(export_db, tmp_path, capsys):
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    assert _export(export_db, link, "--force") == 0
    assert link.is_symlink() and stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert f"{link} is a symbolic link to a character device (/dev/null); written into it" in capsys.readouterr().err


def test_a_folder_reached_through_a_link_is_said(export_db, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    assert _export(export_db, tmp_path / "out" / "data.jsonl") == 0
    assert f"{tmp_path / 'out'} is a symbolic link (or lies under one): written into {elsewhere}" in capsys.readouterr().out
    assert (elsewhere / "data.jsonl").is_file()


def test_force_onto_a_link_says_the_link_is_replaced_not_its_target(export_db, tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(victim)
    assert _export(export_db, link, "--force") == 0
    assert victim.read_text() == "precious\n"
    assert f"replaced the symbolic link {link} itself" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_temporaries_of_a_dead_export_are_removed_and_said_but_a_live_one_is_kept(export_db, tmp_path, capsys, fmt):
    out = tmp_path / ("data.jsonl" if fmt == "jsonl" else "data")
    stale = tmp_path / f".{out.name}.0123456789ab.part"
    stale_folder = tmp_path / f".{out.name}.00000000000f.part"
    live = tmp_path / f".{out.name}.fedcba987654.part"
    stale.write_text("half an export\n")
    stale_folder.mkdir()
    (stale_folder / "a.txt").write_text("half\n")
    live.write_text("being written\n")
    other = tmp_path / ".other.jsonl.0123456789ab.part"
    other.write_text("another output's\n")
    with open(live, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as a running export holds its temporary
        assert _export(export_db, out, fmt=fmt) == 0
    out_text = capsys.readouterr().out
    assert (f"removed 2 stale temporary files left by an interrupted export: {stale_folder.name}, {stale.name}"
            in out_text)
    assert not stale.exists() and not stale_folder.exists()
    assert live.read_text() == "being written\n" and other.exists()
    assert out.exists()


def test_a_split_beside_a_device_is_refused(export_db, capsys):
    assert _export(export_db, "/dev/null", "--split", "80,10,10") == 2
    assert "--split writes a file per part beside --out, which is a character device" in capsys.readouterr().err
    assert not os.path.exists("/dev/null.train.jsonl")


def test_a_temporary_of_a_killed_export_is_kept_while_it_runs_and_removed_after_kill_9(export_db, tmp_path, capsys):
    import signal
    import subprocess
    import sys

    out = tmp_path / "data.jsonl"
    # A real export's temporary file, made and locked by store.export.files in another process.
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from store.export.files import OutputFile; "
         "f = OutputFile(Path(sys.argv[1]), force=True); f.stream.write(b'half'); f.stream.flush(); "
         "print(f.temporary.name, flush=True); sys.stdin.read()", str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        temporary = tmp_path / child.stdout.readline().strip()
        assert temporary.is_file()
        assert _export(export_db, out, "--force") == 0
        assert temporary.is_file(), "a running export's temporary file was removed"
        assert "stale" not in capsys.readouterr().out
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert _export(export_db, out, "--force") == 0
        assert f"removed a stale temporary file left by an interrupted export: {temporary.name}" in capsys.readouterr().out
        assert not temporary.exists()
    finally:
        child.kill()
        child.wait(timeout=30)
