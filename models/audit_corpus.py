"""Audit the training corpus for shortcuts: cue words whose label in the corpus is (nearly) pure
while real people use them both ways.

A bag-of-n-grams model learns any cue that always carries one label. If "几号" only ever appears in
shade asks (几号色) the model flags "几号出发"; if "需要链接" only appears in sellers' lines it misses
"很需要链接". For each cue in CUES (a hand-kept list of words real comments use on both sides) this
prints how many training rows contain it and the share of them that are requests; then the purest
frequent n-grams of the whole corpus, to find the next cue to add.

    .venv/bin/python models/audit_corpus.py            # table + the 30 purest frequent n-grams
    .venv/bin/python models/audit_corpus.py --markdown # the table for models/README.md

tests/test_corpus_audit.py keeps every cue's purity under MAX_PURITY.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helper.nlp.corpus import Example, load_corpus  # noqa: E402
from helper.nlp.model_input import clean_comment  # noqa: E402

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
MAX_PURITY = 0.90  # the share of the majority label a cue may carry in the corpus
MIN_ROWS = 20  # a cue rarer than this cannot be judged (and teaches little)

# Cue words that real comments use on both sides of the label (why, in brief).
CUES = {
    "链接": "求链接 vs 链接挂好了 / 报名链接 / 蓝牙链接",
    "连接": "求个连接 (a typo for 链接) vs 耳机怎么连接手机",
    "需要链接": "很需要链接 (ask) vs 需要链接的私我 (seller)",
    "多少钱": "price of what the note sells vs of what it does not / 我买的多少钱",
    "价格": "价格多少 vs 价格太离谱了",
    "几号": "几号色 vs 几号出发 / 几号的场",
    "同款": "求同款 vs 同款！",
    "求": "求链接 vs 求教程 / 求原图",
    "求带": "求带 (代购) vs 求带飞 / 带我一个",
    "带我": "带我一个 (travel buddy) vs 能帮我带一个吗",
    "联系": "怎么联系你 (to book) vs 联系不上客服",
    "微信": "有微信吗 (to book) vs 加我微信 (ad)",
    "vx": "vx多少 vs vx发你了",
    "私信": "可以私信你吗 vs 已私信",
    "预约": "怎么预约 vs 我已经预约好了",
    "报名": "怎么报名 (a paid class/tour) vs 报名链接 (a free event)",
    "想买": "想买 求链接 vs 我也想买 但没钱",
    "想要": "想要 链接 vs 想要但是买不起",
    "哪里": "哪里买 vs 这是哪里",
    "在哪": "在哪买 vs 在哪拍的",
    "牌子": "什么牌子 vs 这个牌子避雷",
    "补货": "什么时候补货 vs 终于补货了 已下单",
    "包邮": "包邮吗 vs 还包邮 良心",
    "店": "哪家店 vs 这家店我去过",
    "下单": "怎么下单 vs 已下单",
    "有货": "还有货吗 vs 没货了好可惜",
    "link": "link pls vs link in bio",
    "how much": "how much is it vs how much did the trip cost",
    "where": "where to buy vs where is this place",
    "honestly": "honestly where did you get it vs honestly not worth it",
}


def tokens(text: str) -> list[str]:
    return re.findall(r"[\u3400-\u9fff]|[a-z0-9]+|\S", clean_comment(text))


def cue_table(rows: list[Example]) -> list[tuple[str, int, float, str]]:
    """(cue, rows containing it, share of those that are requests, why) per cue."""
    texts = [(clean_comment(r.text), r.label) for r in rows]
    table = []
    for cue, why in CUES.items():
        labels = [label for text, label in texts if _contains(text, cue)]
        share = sum(labels) / len(labels) if labels else 0.0
        table.append((cue, len(labels), share, why))
    return table


def _contains(text: str, cue: str) -> bool:
    if cue.isascii():
        return re.search(rf"(?<![a-z]){re.escape(cue)}(?![a-z])", text) is not None
    return cue in text


def purity(share: float) -> float:
    return max(share, 1 - share)


def purest_ngrams(rows: list[Example], min_count: int = 60, top: int = 30):
    counts, positives = Counter(), Counter()
    for row in rows:
        toks = tokens(row.text)
        grams = {" ".join(toks[i:i + n]) for n in (1, 2, 3) for i in range(len(toks) - n + 1)}
        for gram in grams:
            counts[gram] += 1
            positives[gram] += row.label
    scored = [(g, c, positives[g] / c) for g, c in counts.items() if c >= min_count]
    scored.sort(key=lambda x: (-purity(x[2]), -x[1]))
    return scored[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rows = load_corpus(CORPUS_DIR)
    table = cue_table(rows)
    if args.markdown:
        print("| cue | rows | share requests | purity | used both ways, e.g. |\n| --- | ---: | ---: | ---: | --- |")
        for cue, n, share, why in table:
            print(f"| {cue} | {n} | {share:.2f} | {purity(share):.2f} | {why} |")
        return
    print(f"{'cue':<10} {'rows':>6} {'req share':>9} {'purity':>7}")
    for cue, n, share, why in sorted(table, key=lambda t: -purity(t[2])):
        flag = "  <-- shortcut" if n >= MIN_ROWS and purity(share) > MAX_PURITY else ""
        print(f"{cue:<10} {n:>6} {share:>9.2f} {purity(share):>7.2f}{flag}")
    print("\npurest frequent n-grams (count >= 60):")
    for gram, count, share in purest_ngrams(rows):
        print(f"  {gram!r:<16} {count:>6} rows, {share:.2f} requests")


if __name__ == "__main__":
    main()
