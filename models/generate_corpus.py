"""Generate the synthetic link-request corpus: templates × slot lists × a fixed seed.

Writes models/corpus/generated.jsonl ({"text", "label", "family"}). Label 1 = the commenter asks,
explicitly or implicitly, for where/how to buy (link, shop, platform, brand/shade, price, stock);
label 0 = everything else, with hard negatives that share the buying words (sellers answering,
finished purchases, reviews, 链接 as "connect", non-product links, bare fragments). All text here is
written for this project; none comes from the shared real comments.

    python models/generate_corpus.py            # deterministic: same seed → same file
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import corpus_phrases as P  # the slot and phrase lists (models/corpus_phrases.py)

SEED = 17615
OUT = Path(__file__).resolve().parent / "corpus" / "generated.jsonl"


def _chat_en(rng: random.Random) -> str:
    if rng.random() < 0.5:
        core = f"{rng.choice(P.CHAT_EN_SUBJ)} {rng.choice(P.CHAT_EN_PRED)}"
    else:
        core = f"{rng.choice(['', 'i think ', 'honestly ', 'imo '])}{rng.choice(P.CHAT_EN_OPINION)} {rng.choice(P.CHAT_EN_ADJ)}"
    return core + rng.choice(P.CHAT_EN_END)


def _chat_zh(rng: random.Random) -> str:
    return rng.choice(P.CHAT_ZH_SUBJ) + rng.choice(P.CHAT_ZH_PRED) + rng.choice(P.CHAT_ZH_END)


def _chat_many(rng: random.Random, one, sep: str) -> str:
    text = sep.join(one(rng) for _ in range(rng.choice([1, 1, 2, 2, 3])))
    return text[0].upper() + text[1:] if rng.random() < 0.4 else text


def _pair(rng: random.Random) -> tuple[str, str]:
    """Two different products of one category, as one note would show them."""
    first, second = rng.sample(rng.choice(list(P.PRODUCTS.values())), 2)
    return first, second


def explicit_ask_rows(seed: int = SEED + 4) -> list[tuple[str, int, str]]:
    """The explicit-ask families (corpus_phrases: ASK_VERBS … REQ_NEED_LINK_EN), from their own random stream
    so the older families stay as they were."""
    rng = random.Random(seed)

    def wait_link():
        verb, filler = rng.choice(P.ASK_VERBS), _fill(rng.choice(P.ASK_FILLERS), rng)
        product = rng.choice(P.ALL_PRODUCTS) + rng.choice(["", "", "的"]) if rng.random() < 0.6 else ""
        return _wrap_zh(verb + filler + product + rng.choice(P.LINK_WORDS), rng)

    def both(templates):
        def make():
            first, second = _pair(rng)
            return _wrap_zh(_fill(rng.choice(templates), rng, first).replace("{p2}", second), rng)
        return make

    def keep_p2(template):  # _fill would choke on {p2}; it is filled in by `both`
        return template.replace("{p2}", "{{p2}}")

    families = [
        ("req_wait_link", 1, wait_link, 600),
        ("req_link_come", 1, lambda: _wrap_zh(_fill(rng.choice(P.LINK_COME), rng), rng), 150),
        ("req_want_all", 1, both([keep_p2(t) for t in P.WANT_ALL_ZH]), 350),
        ("req_need_link_en", 1, lambda: _wrap_en(_fill(rng.choice(P.REQ_NEED_LINK_EN), rng, rng.choice(P.EN_PRODUCTS)), rng), 120),
        ("neg_link_seller", 0, both([keep_p2(t) for t in P.NEG_LINK_SELLER]), 600),
        ("neg_all_chat", 0, both([keep_p2(t) for t in P.NEG_ALL_CHAT_ZH]), 500),
        ("neg_nonproduct_link", 0, lambda: _wrap_zh(rng.choice(P.NEG_NONPRODUCT_LINK).format(
            ask=rng.choice(P.ASK_VERBS), link=rng.choice(P.NON_PRODUCT_LINKS)), rng), 400),
        ("neg_got_link_en", 0, lambda: _wrap_en(rng.choice(P.NEG_GOT_LINK_EN), rng), 150),
    ]
    return [(make(), label, family) for family, label, make, count in families for _ in range(count)]


XHS_CODES = ["[doge]", "[笑哭R]", "[偷笑R]", "[哭惹R]", "[捂脸R]", "[赞R]", "[派对R]"]


def hidden_ask_rows(seed: int = SEED + 6) -> list[tuple[str, int, str]]:
    """Long comments with one ask among the chatter ("…很需要链接 下周要穿去…", "imo the cut is perfect. where
    can i buy it. the color too"), from their own random stream. The all-chatter long families taught
    that a long comment, a softener (imo / honestly / i think), 一定 or an XHS code means "no"; these
    put the same clauses on the request side: one ask clause decides."""
    rng = random.Random(seed)
    zh_pools = [P.FEATURE_Q_ZH, P.PRICE_OPINION_ZH, P.OTHER_Q_ZH, P.LONG_RANT_ZH, P.NEUTRAL_ZH]
    en_pools = [P.FEATURE_Q_EN, P.PRICE_OPINION_EN, P.OTHER_Q_EN, P.LONG_RANT_EN, P.NEUTRAL_EN]

    def ask_zh():
        return _wrap_zh(_fill(rng.choice(P.REQ_REF + P.REQ_BARE + P.REQ_IMPLICIT_ZH), rng), rng)

    def ask_en():
        templates = P.REQ_EN_REF + P.REQ_EN_BARE + P.REQ_IMPLICIT_EN
        return _wrap_en(_fill(rng.choice(templates), rng, rng.choice(P.EN_PRODUCTS)), rng)

    def hidden(chat, ask, pools, seps):
        sep = rng.choice(seps)
        parts = [chat(rng) if rng.random() < 0.5 else _fill(rng.choice(rng.choice(pools)), rng,
                                                             rng.choice(P.EN_PRODUCTS + P.ALL_PRODUCTS))
                 for _ in range(rng.randint(1, 4))]
        parts.insert(rng.randint(0, len(parts)), ask())
        text = sep.join(parts)
        return text + rng.choice(XHS_CODES) if rng.random() < 0.3 else text

    families = [
        ("req_hidden_zh", 1, lambda: hidden(_chat_zh, ask_zh, zh_pools, ["，", " ", "。", "！"]), 800),
        ("req_hidden_en", 1, lambda: hidden(_chat_en, ask_en, en_pools, [". ", ", ", " ", "! "]), 700),
    ]
    return [(make(), label, family) for family, label, make, count in families for _ in range(count)]


def _long(rng: random.Random, pools: list[list[str]], chat, sep: str) -> str:
    """A multi-clause comment (review, rant, story) built only from non-request clauses."""
    parts = []
    for _ in range(rng.randint(2, 5)):
        parts.append(chat(rng) if rng.random() < 0.4 else _fill(rng.choice(rng.choice(pools)), rng,
                                                                  rng.choice(P.EN_PRODUCTS + P.ALL_PRODUCTS)))
    return sep.join(parts)


def _fill(template: str, rng: random.Random, product: str | None = None) -> str:
    return template.format(
        r=rng.choice(P.REFS_ZH), p=product or rng.choice(P.ALL_PRODUCTS), n=rng.randint(1, 5),
        price=rng.choice(P.PRICES), name=rng.choice(P.NAMES), a=rng.choice(P.EN_DET), c=rng.choice(P.COUNTRIES),
        v=rng.choice(P.VARIANTS), b=rng.choice(P.BRANDS), reno=rng.choice(P.RENO), ep=rng.choice(P.ES_PRODUCTS), pl=rng.choice(P.PLATFORMS), pl2=rng.choice(P.PLATFORMS), code=rng.choice(P.CODES),
    )


def _wrap_zh(core: str, rng: random.Random) -> str:
    pre, suf = rng.choice(P.PREFIX), rng.choice(P.SUFFIX)
    text = _fill(pre, rng) + core + suf
    if rng.random() < 0.08:  # emphatic repeats, as real commenters do
        text = text + rng.choice(["", " ", "！"]) + core
    return text


def _wrap_en(core: str, rng: random.Random) -> str:
    text = _fill(rng.choice(P.EN_PREFIX), rng) + core + rng.choice(P.EN_SUFFIX)
    roll = rng.random()
    if roll < 0.15:
        text = text.capitalize()
    elif roll < 0.22:
        text = text.upper()
    return text


def _context(core: str, rng: random.Random, pool: list[str], sep: str) -> str:
    """Glue neutral chatter around a core clause (about a third of the time)."""
    roll = rng.random()
    if roll < 0.12:
        return rng.choice(pool) + sep + core
    if roll < 0.24:
        return core + sep + rng.choice(pool)
    if roll < 0.32:
        return rng.choice(pool) + sep + core + sep + rng.choice(pool)
    return core


def generate(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    rows: list[tuple[str, int, str]] = []

    def zh(templates, product_pool=None):
        def make():
            product = rng.choice(product_pool) if product_pool else None
            core = _wrap_zh(_fill(rng.choice(templates), rng, product), rng)
            return _context(core, rng, P.NEUTRAL_ZH, rng.choice(["，", " ", "。", "！", ""]))
        return make

    def en(templates, product_pool=P.EN_PRODUCTS):
        def make():
            core = _wrap_en(_fill(rng.choice(templates), rng, rng.choice(product_pool)), rng)
            return _context(core, rng, P.NEUTRAL_EN, rng.choice([", ", ". ", "! ", " "]))
        return make

    def plain(templates, suffixes=("",)):
        return lambda: _fill(rng.choice(templates), rng) + rng.choice(suffixes)

    families = [
        # label 1: explicit and implicit requests
        ("req_ref", 1, zh(P.REQ_REF), 2400),
        ("req_beauty", 1, zh(P.REQ_BEAUTY, P.PRODUCTS["beauty"]), 300),
        ("req_service", 1, zh(P.REQ_SERVICE, P.PRODUCTS["service"]), 250),
        ("req_bare", 1, zh(P.REQ_BARE), 1500),
        ("req_implicit", 1, zh(P.REQ_IMPLICIT_ZH), 900),
        ("req_en_ref", 1, en(P.REQ_EN_REF), 700),
        ("req_en_bare", 1, en(P.REQ_EN_BARE), 700),
        ("req_en_implicit", 1, en(P.REQ_IMPLICIT_EN), 300),
        ("req_other_lang", 1, plain(P.REQ_OTHER_LANG + P.REQ_OTHER_LANG_2, ("", "", "?", " 🙏", "!!", "...")), 300),
        # label 0: hard negatives
        ("neg_ref", 0, zh(P.NEG_REF), 2000),
        ("neg_seller", 0, zh(P.NEG_SELLER), 1100),
        ("neg_seller_short", 0, zh(P.SELLER_SHORT), 400),
        ("neg_bare", 0, zh(P.NEG_BARE), 2000),
        ("neg_feature_q", 0, zh(P.FEATURE_Q_ZH), 1300),
        ("neg_price_opinion", 0, zh(P.PRICE_OPINION_ZH), 600),
        ("neg_buy_statement", 0, zh(P.BUY_STATEMENT_ZH), 700),
        ("neg_other_q", 0, zh(P.OTHER_Q_ZH), 800),
        ("neg_rant", 0, zh(P.LONG_RANT_ZH + P.NEUTRAL_ZH), 500),
        ("neg_en", 0, en(P.NEG_EN), 1100),
        ("neg_en_feature_q", 0, en(P.FEATURE_Q_EN), 500),
        ("neg_en_price_opinion", 0, en(P.PRICE_OPINION_EN), 450),
        ("neg_en_buy_statement", 0, en(P.BUY_STATEMENT_EN), 450),
        ("neg_en_other_q", 0, en(P.OTHER_Q_EN), 450),
        ("neg_en_rant", 0, en(P.LONG_RANT_EN + P.NEUTRAL_EN), 300),
        ("neg_other_lang", 0, plain(P.NEG_OTHER_LANG), 250),
        ("neg_weibo", 0, plain(P.WEIBO), 120),
        ("req_variant", 1, zh(P.REQ_VARIANT_ZH), 500),
        ("req_platform", 1, zh(P.REQ_PLATFORM_ZH), 600),
        ("req_after_feature_q", 1, lambda: _fill(rng.choice(P.FEATURE_Q_ZH), rng) + rng.choice(["，", "？", " ", ""])
         + _wrap_zh(_fill(rng.choice(P.REQ_BARE + P.REQ_IMPLICIT_ZH), rng), rng), 600),
        ("req_then_more", 1, lambda: _wrap_zh(_fill(rng.choice(P.REQ_REF + P.REQ_IMPLICIT_ZH), rng), rng)
         + rng.choice(["，", "？", " "]) + rng.choice([_fill(rng.choice(P.FEATURE_Q_ZH), rng), rng.choice(P.NEUTRAL_ZH)]), 500),
        ("req_cant_find", 1, zh(P.REQ_CANT_FIND_ZH), 250),
        ("req_deal", 1, zh(P.REQ_DEAL_ZH), 250),
        ("req_which_option", 1, zh(P.REQ_WHICH_OPTION_ZH), 250),
        ("req_en_ship", 1, en(P.REQ_EN_SHIP), 200),
        ("neg_suitable", 0, zh(P.NEG_SUITABLE_ZH), 400),
        ("neg_en_feature_2", 0, en(P.NEG_EN_FEATURE_2), 200),
        ("neg_es_feature", 0, plain(P.NEG_ES_FEATURE + P.CHAT_ES), 200),
        ("req_douyin_brand", 1, zh(P.REQ_DOUYIN_BRAND), 400),
        ("neg_douyin_brand", 0, zh(P.NEG_DOUYIN_BRAND), 450),
        ("req_en_slang", 1, en(P.REQ_EN_SLANG), 250),
        ("neg_en_slang", 0, en(P.NEG_EN_SLANG), 250),
        ("req_reno_salon", 1, zh(P.REQ_RENO_SALON), 400),
        ("neg_reno_salon", 0, zh(P.NEG_RENO_SALON), 400),
        ("neg_spam_en", 0, en(P.SPAM_EN), 150),
        ("neg_tag_friend", 0, plain(P.NEG_TAG_FRIEND, ("", "", " 😂", "[doge]", "!!", " ❤️")), 350),
        ("req_instagram", 1, en(P.REQ_INSTAGRAM), 250),
        ("req_more_lang", 1, plain(P.REQ_MORE_LANG, ("", "", "?", " 🙏", "!!")), 120),
        ("neg_more_lang", 0, plain(P.NEG_MORE_LANG, ("", "", "!", " 😍", "!!", " ❤️")), 150),
        ("req_es", 1, lambda: rng.choice(P.ES_PREFIX) + _fill(rng.choice(P.REQ_ES), rng) + rng.choice(P.ES_SUFFIX), 350),
        ("neg_es", 0, lambda: rng.choice(P.ES_PREFIX) + _fill(rng.choice(P.NEG_ES), rng) + rng.choice(P.ES_SUFFIX), 450),
        ("neg_feature_q_chat", 0, lambda: _fill(rng.choice(P.FEATURE_Q_ZH), rng) + rng.choice(["，", "？", " "])
         + rng.choice(P.NEUTRAL_ZH + P.CHAT_ZH_PRED), 500),
        ("neg_platform", 0, zh(P.NEG_PLATFORM_ZH), 600),
        ("neg_seller_ad_en", 0, en(P.SELLER_AD_EN), 250),
        ("neg_bare_2", 0, zh(P.NEG_BARE_2), 500),
        ("neg_en_long", 0, lambda: _long(rng, [P.NEG_EN, P.FEATURE_Q_EN, P.PRICE_OPINION_EN, P.BUY_STATEMENT_EN,
                                                P.OTHER_Q_EN, P.LONG_RANT_EN, P.NEUTRAL_EN], _chat_en, ". "), 1500),
        ("neg_zh_long", 0, lambda: _long(rng, [P.NEG_REF, P.FEATURE_Q_ZH, P.PRICE_OPINION_ZH, P.BUY_STATEMENT_ZH,
                                                P.OTHER_Q_ZH, P.LONG_RANT_ZH, P.NEUTRAL_ZH], _chat_zh, "，"), 1000),
        ("neg_chat_en", 0, lambda: _chat_many(rng, _chat_en, rng.choice([". ", " ", ", "])), 1800),
        ("neg_chat_zh", 0, lambda: _chat_many(rng, _chat_zh, rng.choice(["，", "", " "])), 1500),
        ("neg_chat_other", 0, lambda: rng.choice(P.CHAT_ES + P.CHAT_JA + P.CHAT_KO) + rng.choice(["", "!", "。", " 😊"]), 400),
    ]
    for family, label, make, count in families:
        rows += [(make(), label, family) for _ in range(count)]

    # Noise that says nothing either way (numbers, "+1", formula and markup debris, floor numbers)
    # added to both labels, so the model learns to ignore it instead of leaning on it.
    noise = ["+1", "=1+1", "1+1", "2", "x2", "3楼", "#1", "*", "123", "<b>", "</b>", "\"", "'", "=", "...", "ps",
             "2024", "11.11", "😂", "1", "(", ")", "~~", "哈哈", "ok", "嗯", "---", "10", "99"]

    def noisy(text):
        pre, suf = rng.choice(noise), rng.choice(noise)
        roll = rng.random()
        return pre + " " + text if roll < 0.4 else text + " " + suf if roll < 0.8 else f"{pre} {text} {suf}"

    rows += [(noisy(t), y, f + "_noise") for t, y, f in rng.sample(rows, 3000)]

    # Traditional-script variants: the model sees them normalised, but keeping them here shows the
    # corpus covers them and exercises the normaliser in training.
    import opencc

    to_trad = opencc.OpenCC("s2tw")
    rows += [(to_trad.convert(t), y, f + "_trad") for t, y, f in rng.sample(rows, 900)]

    seen, out = set(), []
    for text, label, family in rows:
        if text not in seen:
            seen.add(text)
            out.append({"text": text, "label": label, "family": family})
    rng.shuffle(out)
    # Appended after the shuffle so the older rows keep their place and a diff shows only what is new.
    newer = []
    for text, label, family in explicit_ask_rows():
        if text not in seen:
            seen.add(text)
            newer.append({"text": text, "label": label, "family": family})
    random.Random(SEED + 5).shuffle(newer)
    hidden = []
    for text, label, family in hidden_ask_rows():
        if text not in seen:
            seen.add(text)
            hidden.append({"text": text, "label": label, "family": family})
    random.Random(SEED + 7).shuffle(hidden)
    return out + newer + hidden


def main() -> None:
    rows = generate()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    pos = sum(r["label"] for r in rows)
    print(f"wrote {len(rows)} examples ({pos} requests, {len(rows) - pos} other) to {OUT}")


if __name__ == "__main__":
    main()
