"""The helper's words (helper/vocab.py) and the extension's copy (extension/lib/constants.js) agree.

The extension loads unpacked with no build step, so it keeps its own copy; node evaluates it here and
every name both sides share must have the same value. A name added to vocab.py must be copied to
constants.js (or listed below as the helper's alone, with the reason).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from helper import vocab

REPO = Path(__file__).resolve().parents[1]
CONSTANTS = REPO / "extension" / "lib" / "constants.js"

# In vocab.py, not needed by the extension: it never classifies text.
HELPER_ONLY = {"CJK_RANGE"}
# In constants.js, derived from the shared words, for the extension's own use.
EXTENSION_ONLY = {"NOTE_ID", "SITE_PLATFORM"}


def helper_words():
    return {name: getattr(vocab, name) for name in dir(vocab) if name.isupper() and not name.startswith("_")}


@pytest.fixture(scope="module")
def extension_words():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: scripts/test installs it (Debian package nodejs, version 18+)")
    script = (
        "const K = require(process.argv[1]);"
        "const out = {};"
        "for (const [k, v] of Object.entries(K)) out[k] = v instanceof RegExp ? {regexp: v.source, flags: v.flags} : v;"
        "process.stdout.write(JSON.stringify(out));"
    )
    proc = subprocess.run([node, "-e", script, str(CONSTANTS)], capture_output=True, text=True, timeout=30, check=True)
    return json.loads(proc.stdout)


def test_every_shared_name_has_the_same_value(extension_words):
    helper = helper_words()
    shared = set(helper) - HELPER_ONLY
    assert shared, "vocab.py lost its names?"
    missing = shared - set(extension_words)
    assert not missing, f"in helper/vocab.py but not in extension/lib/constants.js: {sorted(missing)}"
    unknown = set(extension_words) - set(helper) - EXTENSION_ONLY
    assert not unknown, f"in constants.js but not in vocab.py (nor listed as the extension's own): {sorted(unknown)}"
    for name in sorted(shared):
        expected = list(helper[name]) if isinstance(helper[name], tuple) else helper[name]
        assert extension_words[name] == expected, name


def test_the_names_listed_as_one_sides_own_really_are(extension_words):
    helper = helper_words()
    assert HELPER_ONLY <= set(helper) and not HELPER_ONLY & set(extension_words)
    assert EXTENSION_ONLY <= set(extension_words) and not EXTENSION_ONLY & set(helper)


def test_the_extensions_derived_names_follow_the_shared_ones(extension_words):
    assert extension_words["NOTE_ID"] == {"regexp": f"^{vocab.NOTE_ID_PATTERN}$", "flags": "i"}
    assert extension_words["SITE_PLATFORM"] in vocab.PLATFORMS
    assert 0 < extension_words["SEND_BATCH"] <= vocab.MAX_BATCH
