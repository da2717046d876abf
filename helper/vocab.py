"""Words the helper's modules share, written once.

The character classes here are what "a CJK character" means to the tokenizer, the note-context
features and product attribution alike (CJK ideographs, kana and hangul).
"""

from __future__ import annotations

# CJK Extension A, Unified Ideographs, Compatibility Ideographs, kana, hangul syllables.
CJK_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
