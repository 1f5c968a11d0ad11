"""A process a test leaves running fails the run, named, and is killed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

LEAKY_TEST = """
import subprocess

def test_starts_a_process_and_forgets_it():
    subprocess.Popen(["sleep", "3600"])
"""


def test_a_process_that_outlives_the_run_fails_it(tmp_path):
    (tmp_path / "test_leaky.py").write_text(LEAKY_TEST)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.conftest", "-q", str(tmp_path / "test_leaky.py")],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout
    assert "processes outlived the suite" in run.stdout and "sleep 3600" in run.stdout, run.stdout
    left = subprocess.run(["pgrep", "-f", "^sleep 3600$"], capture_output=True, text=True)
    assert left.stdout.strip() == "", "the process was not killed"
