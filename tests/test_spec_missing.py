"""Without the protocol spec the suite says so: its tests skip with one readable reason
(never "empty parameter set"), schema checks are counted as not made, and under
SMOOTH_REQUIRE_SPEC=1 each is a failure with the same reason."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.spec import REPO


def run_without_spec(tmp_path, *, required: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "SMOOTH_SPEC_DIR": str(tmp_path / "no-spec"), "SMOOTH_REQUIRE_SPEC": "1" if required else "0"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    # The spec's own tests, and a socket test whose every event is checked against its schema.
    tests = ["tests/protocol/test_conformance.py", "tests/protocol/test_ping.py::test_ping_without_request_id_has_no_request_id"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rsw", "-q", *tests],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_the_spec_its_tests_skip_with_the_reason(tmp_path):
    run = run_without_spec(tmp_path, required=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "empty parameter set" not in run.stdout
    assert "the protocol spec (the spec/ folder of github.com/SmooAI/smooth-operator, MIT) is not at" in run.stdout
    assert "2 skipped" in run.stdout and "failed" not in run.stdout, run.stdout
    assert "a schema check was not made: the protocol spec" in run.stdout, run.stdout  # the ping's, in the warnings


def test_under_smooth_require_spec_a_missing_spec_fails(tmp_path):
    run = run_without_spec(tmp_path, required=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "3 failed" in run.stdout and "(SMOOTH_REQUIRE_SPEC=1)" in run.stdout, run.stdout
