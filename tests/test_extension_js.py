"""Runs the extension's pure-JS unit tests (`node --test tests/js/*.test.js`) so pytest/CI counts them."""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_extension_pure_js_units():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: scripts/test installs it (Debian package nodejs, version 18+)")
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "tests" / "js").glob("*.test.js"))
    assert len(files) >= 3, files
    # Explicit files: how `node --test DIR` treats a directory changed between node 18, 20 and 22.
    proc = subprocess.run([node, "--test", *files], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout
