"""The management commands at a terminal: flags written whole, progress bars drawn in
place, and a server that says it listens only once it does."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import socket
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "args",
    [("kb_ingest", "--sett", "faq", "docs"), ("agent", "create", "--org", "acme", "--nam", "Helper"), ("serve", "--po", "1")],
    ids=["kb_ingest --sett", "agent create --nam", "serve --po"],
)
def test_an_abbreviated_flag_is_refused(tmp_path, args):
    run = manage(tmp_path, *args)
    abbreviated = next(arg for arg in args if arg in ("--sett", "--nam", "--po"))
    assert run.returncode == 2 and f"unrecognized arguments: {abbreviated}" in run.stderr, run.stderr


def test_a_taken_port_is_named_with_the_setting_that_moves_it(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        assert manage(tmp_path, "migrate", "-v", "0").returncode == 0
        run = manage(tmp_path, "serve", SMOOTH_AGENT_PORT=str(port), SMOOTH_AGENT_SEED_KB="0")
    finally:
        taken.close()
    assert run.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr and "SMOOTH_AGENT_PORT" in run.stderr, run.stderr
    assert "listening" not in run.stdout.lower(), run.stdout  # never announced


def read_all(fd: int, process: subprocess.Popen, timeout: float = 120) -> bytes:
    output = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    return output


def test_the_progress_bar_is_one_uncoloured_line_redrawn_on_a_terminal_and_silent_elsewhere(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(30):
        (folder / f"page-{number:02}.md").write_text(f"# Page {number}\n\nAnswer number {number}.")
    assert manage(tmp_path, "migrate", "-v", "0").returncode == 0
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    process = subprocess.Popen(
        [sys.executable, "manage.py", "kb_ingest", str(folder)], cwd=REPO, env=environment, stdin=terminal, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    try:
        output = read_all(main, process).decode()
        assert process.wait(30) == 0, output
    finally:
        os.close(main)
    bar = [line for line in output.split("\n") if "doc" in line and "30/30" in line]
    assert len(bar) == 1, output  # one line...
    assert bar[0].count("\r") >= 2, repr(bar[0])  # ...drawn again in place
    assert "\x1b[31m" not in output and "\x1b[" not in bar[0], repr(output)  # not red, not styled

    quiet = manage(tmp_path, "kb_ingest", str(folder))  # not a terminal: no bar
    assert quiet.returncode == 0 and "30/30" not in quiet.stderr and "\r" not in quiet.stderr, quiet.stderr
