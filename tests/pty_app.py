"""Run a program in a pseudo-terminal and watch what it writes to it.

Used by the hang-up and idle tests and by the benchmarks that count bytes
per key press and time to the first frame.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def claimdesk_command(*args: str) -> list[str]:
    """``claimdesk ARGS`` run by this Python, from this checkout."""
    return [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())", *args]


def _take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    """A child process on the slave side of a pty; output is collected in a thread."""

    def __init__(self, command: list[str], *, columns: int = 80, rows: int = 24, env: dict[str, str] | None = None,
                 cwd: Path = REPO) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows),
                    "PYTHONPATH": str(REPO), **(env or {})}
        full_env.pop("NO_COLOR", None)
        # A session of its own with the pty as its controlling terminal, as
        # sshd sets it up: closing the master then sends SIGHUP.
        self.process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd,
                                        start_new_session=True, close_fds=True, preexec_fn=_take_terminal)
        os.close(slave)
        self.output = bytearray()
        self._lock = threading.Lock()
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._closed:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if ready:
                    chunk = os.read(self.master, 65536)
                    if not chunk:
                        return
                    with self._lock:
                        self.output += chunk
            except OSError:
                return

    @property
    def written(self) -> int:
        """Bytes the program has written to the terminal so far."""
        with self._lock:
            return len(self.output)

    def text(self) -> str:
        with self._lock:
            return self.output.decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 20.0) -> float:
        """Wait until ``needle`` shows in the output; returns the seconds waited."""
        start = time.monotonic()
        while needle not in self.text():
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"{needle!r} did not show in {timeout} s; output ends {self.text()[-500:]!r}")
            if self.process.poll() is not None:
                raise RuntimeError(f"the program exited ({self.process.returncode}): {self.text()[-2000:]!r}")
            time.sleep(0.01)
        return time.monotonic() - start

    def wait_quiet(self, quiet: float = 0.5, timeout: float = 10.0) -> None:
        """Wait until nothing has been written for ``quiet`` seconds."""
        start = time.monotonic()
        last, since = self.written, time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() - start > timeout:
                raise TimeoutError("the program never went quiet")
            time.sleep(0.02)
            if self.written != last:
                last, since = self.written, time.monotonic()

    def send(self, keys: str) -> None:
        """Type ``keys`` (raw bytes as text: ``"\\x1b[C"`` is the right arrow)."""
        os.write(self.master, keys.encode())

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def hang_up_terminal(self) -> None:
        """Close the terminal, as a dropped SSH connection does (the kernel sends SIGHUP)."""
        self._closed = True
        self._reader.join(1)
        os.close(self.master)
        self.master = -1

    def close(self) -> None:
        """Stop the program if it still runs, and release the terminal."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)
        self._closed = True
        self._reader.join(1)
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


def run_with_stderr(command: list[str], stderr_tty: bool) -> tuple[bytes, bytes]:
    """stdout and stderr of ``command``, which must succeed, its stderr a terminal
    (what a progress bar needs) or a pipe."""
    if not stderr_tty:
        done = subprocess.run(command, capture_output=True, timeout=60)
        assert done.returncode == 0
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env={**os.environ, "COLUMNS": "100"})
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        assert ready, "no output from the child"
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        seen += data
    out = child.stdout.read()
    assert child.wait(timeout=60) == 0
    os.close(master)
    return out, seen
