"""Words the helper's modules share, written once.

Every module, argparse `choices` and the OpenAPI enums read these names from here; the extension has
its own copy in `extension/lib/constants.js` (it loads unpacked, with no build step to generate it), and
a test checks that both sides agree.

The character classes here are what "a CJK character" means to the tokenizer, the note-context
features and product attribution alike (CJK ideographs, kana and hangul).
"""

from __future__ import annotations

# The port `linktriage serve` listens on by default (127.0.0.1 only).
DEFAULT_PORT = 17615

# A comment's triage status, and the two ways a creator corrects the model's verdict.
STATUSES = ("new", "replied", "ignored")
CORRECTIONS = ("not_request", "missed")

# Where a suggested reply goes: its wording (橱窗 / 小黄车 / a product link) depends on the platform.
PLATFORMS = ("xhs", "douyin", "web")

# Comments per POST /api/comments: the helper refuses more than MAX_BATCH (413); the extension sends
# at most SEND_BATCH at a time so one slow or refused request carries little.
MAX_BATCH = 500
SEND_BATCH = 200

# A Xiaohongshu note id: 24 lowercase hex digits (the site's ObjectId).
NOTE_ID_PATTERN = "[0-9a-f]{24}"

# CJK Extension A, Unified Ideographs, Compatibility Ideographs, kana, hangul syllables.
CJK_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
