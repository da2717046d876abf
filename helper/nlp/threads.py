"""Thread context: a reply that only echoes its parent takes the parent's verdict.

Under a request, "同求", "+1", "我也要", "same" ask for the same thing; alone they ask nothing (the
label rules make a bare fragment 0). The model reads one comment at a time, so the analyzer applies
this after scoring: an echo reply scores at least what its parent scores. A reply by the note's
author is an answer, never a request (the analyzer skips the author before the model).
"""

from __future__ import annotations

import re

from helper.nlp.model_input import XHS_CODE, clean_comment

# Whole-comment echoes, after normalisation and with emoji / XHS codes / punctuation stripped.
_ECHO = re.compile(
    r"(?:(?:\+|加)\s*\d{0,2}|1|同求|同问|同蹲|求\s*\+?1?|蹲\s*\+?1?|我也[要想求蹲问]{1,3}|我也想知道|我也是|我也想买"
    r"|也想要|也求|一样求|求同|同|跟|一起求|一起蹲|[我俺]也|me\s*too|same(?:\s*here)?|same\s*question"
    r"|\+1\s*pls|following|also\s*want(?:\s*to\s*know)?|i\s*want\s*(?:it|one)\s*too|me\s*2|up)+"
)
_DECORATION = re.compile(rf"{XHS_CODE}|[^\w\s+]|_")
MAX_ECHO_CHARS = 16  # an echo is short; longer replies say something of their own
# A quick "certainly not an echo" for the ~all comments that are not: besides decoration and digits, an
# echo holds only word characters _ECHO spells (a superset: every word character of its source). The
# scan stops at the first other character, usually the first or second one.
_ECHO_LETTERS = "".join(sorted({c for c in _ECHO.pattern if re.fullmatch(r"\w", c)}))
_MAYBE_ECHO = re.compile(rf"(?:{XHS_CODE}|\W|_|\d|[{re.escape(_ECHO_LETTERS)}])*")


def is_echo(text: str) -> bool:
    """True when the reply says nothing but "me too" to its parent."""
    cleaned = clean_comment(text)
    if _MAYBE_ECHO.fullmatch(cleaned) is None:
        return False
    bare = _DECORATION.sub("", cleaned).strip()
    if not bare or len(bare) > MAX_ECHO_CHARS:
        return False
    return _ECHO.fullmatch(bare.replace(" ", "")) is not None


# What an echo with no parent known scores at most: by the label rules a bare fragment ("同求", "+1",
# "蹲") asks nothing by itself, whatever the model makes of its few characters.
ECHO_ALONE_MAX = 0.2


def inherit(reply_text: str, reply_score: float, parent_score: float | None) -> float:
    """The comment's score in its thread: an echo scores as its parent does (a bare fragment, when
    there is no parent); anything else keeps its own score."""
    if not is_echo(reply_text):
        return reply_score
    if parent_score is None:
        return min(reply_score, ECHO_ALONE_MAX)
    return parent_score
