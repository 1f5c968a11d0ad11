"""The browser protocol client's own tests (tests/js/*.test.mjs), run by Node's test runner."""

import shutil
import subprocess

from tests.e2e.live import REPO, service_missing


def test_the_javascript_client_tests_pass():
    node = shutil.which("node")
    if node is None:
        service_missing("Node.js is not installed (it runs tests/js)")
    result = subprocess.run([node, "--test", "tests/js/"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout
