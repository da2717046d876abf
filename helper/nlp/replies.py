"""Reply suggestions for buying requests: short, varied, addressed to the commenter, platform-safe.

    suggest_reply(comment_id="c1", nickname="小鹿", text="地毯哪里买", attribution=..., platform="xhs")
    → Suggestion(text="@小鹿 羊毛地毯就在笔记里的商品卡片，点进去就能买～", compliance=[])

- Several phrasings per situation, picked by a hash of the comment id: the same comment always gets the
  same suggestion, a thread of 求链接 does not get one identical reply pasted twenty times.
- Xiaohongshu (xhs): only in-platform routes (商品卡, 主页橱窗, an xiaohongshu.com / xhslink.com goods
  link). A product whose link goes elsewhere is never put in an xhs reply; the suggestion says why in
  `compliance`. Douyin points to 小黄车/橱窗 or the product link; other platforms to the link.
- A product's own `reply` template ({nickname}, {product}, {link}) wins. Whatever the creator typed in it
  stays, but anything the platform bans in it comes back as a compliance warning for the UI to show.
- English comments get English replies, everything else Chinese ("lj", "pdd" are Chinese shorthand).
  The compliance warnings come in the reply's language: a creator's own template decides it when it has
  words of its own (Chinese or English), else the comment does.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from dataclasses import dataclass, field

from helper.nlp.compliance import XHS, compliance_warnings, is_in_platform_link, link_left_out_warning
from helper.nlp.products import Attribution, CatalogProduct
from helper.vocab import CJK_RANGE, PLATFORMS

__all__ = ["Suggestion", "suggest_reply", "compliance_warnings", "is_english", "PLATFORMS"]

# A "which one?" reply lists the note's products only while the list stays readable.
MAX_LISTED = 5

# Situations: one product with a link we may show, one without, several named, several on the note
# but none named (ask which), no product but a product noun in the comment ("noun": 风衣), nothing
# known at all. {product}/{products}/{link} are filled in; the
# "@nickname " prefix is added by `suggest_reply`.
_TEMPLATES = {
    ("xhs", "zh"): {
        "card": [
            "{product}就在笔记里的商品卡片，点进去就能买～",
            "点笔记下方的商品卡就能找到{product}哦",
            "{product}已经放进主页橱窗啦，去橱窗看看～",
            "谢谢喜欢！{product}在笔记的商品卡里，直接点就好",
        ],
        "link": ["{product}的商品链接在这：{link}", "{product}可以点这里看：{link}（笔记商品卡里也有）"],
        "several": [
            "{products}都在笔记的商品卡里，可以一起看看～",
            "你问的{products}都放进主页橱窗了哦",
            "{products}在笔记下方的商品卡都能找到～",
        ],
        "which": [
            "这篇里有{products}，想要哪一个呀？都在商品卡里～",
            "笔记里的{products}都能在商品卡找到，你问的是哪一款呢？",
        ],
        "none": ["笔记里的商品卡片可以直接买哦～", "已经放在主页橱窗啦，去看看～", "点笔记下方的商品卡就能找到～"],
        "noun": ["{product}在笔记里的商品卡片可以直接买哦～", "{product}已经放在主页橱窗啦，去看看～", "点笔记下方的商品卡就能找到{product}～"],
    },
    ("xhs", "en"): {
        "card": [
            "The {product} is in the product card on this note, tap it to buy!",
            "You can find the {product} in the shop on my profile (橱窗).",
            "Thanks! The {product} is linked in the product card below the note.",
        ],
        "link": ["Here's the {product}: {link}", "The {product} is here: {link} (also in the note's product card)"],
        "several": ["They're all in the note's product cards: {products}!", "You'll find {products} in the shop on my profile."],
        "which": [
            "This note has {products}, which one do you mean? They're all in the product cards.",
            "Which one are you after: {products}? Each is in the note's product cards.",
        ],
        "none": ["It's in the product card on this note!", "You can find it in the shop on my profile (橱窗)."],
        "noun": ["The {product} is in the product card on this note!", "You can find the {product} in the shop on my profile (橱窗)."],
    },
    ("douyin", "zh"): {
        "card": [
            "{product}在视频左下角的小黄车里～",
            "{product}已经挂在橱窗啦，点主页橱窗就能找到",
            "点左下角小黄车就有{product}哦",
        ],
        "link": ["{product}的链接：{link}", "{product}在这里买：{link}，小黄车里也有哦", "{product}戳这里：{link}"],
        "several": ["{products}都在小黄车里～", "{products}都挂在橱窗啦"],
        "which": ["这条里有{products}，想要哪一个呀？", "小黄车里有{products}，你问的是哪款呢？"],
        "none": ["在视频左下角的小黄车里～", "已经挂在主页橱窗啦", "点左下角小黄车就能买哦"],
        "noun": ["{product}在视频左下角的小黄车里～", "{product}已经挂在主页橱窗啦", "点左下角小黄车就能买{product}哦"],
    },
    ("douyin", "en"): {
        "card": ["The {product} is in the shopping cart on this video!", "The {product} is in the showcase on my profile."],
        "link": ["Here's the {product}: {link}", "You can get the {product} here: {link}"],
        "several": ["They're all in the shopping cart: {products}!", "You'll find {products} in the showcase on my profile."],
        "which": ["This video has {products}, which one do you mean?", "Which one are you after: {products}?"],
        "none": ["It's in the shopping cart on this video!", "It's in the showcase on my profile."],
        "noun": ["The {product} is in the shopping cart on this video!", "The {product} is in the showcase on my profile."],
    },
    ("web", "zh"): {
        "card": ["{product}的购买方式在简介里哦～", "{product}的链接放在简介里啦"],
        "link": ["{product}的链接：{link}", "{product}在这里买：{link}", "这是{product}的购买链接：{link}"],
        "several": ["{products}的链接：{links}", "你问的这些在这里：{links}"],
        "which": ["这里有{products}，想要哪一个呀？", "你问的是{products}里的哪一款呢？"],
        "none": ["链接在简介里哦～", "购买方式放在简介里啦", "简介里有购买链接哦"],
        "noun": ["{product}的链接在简介里哦～", "{product}的购买方式放在简介里啦", "简介里有{product}的购买链接哦"],
    },
    ("web", "en"): {
        "card": ["The {product} is linked in the description!", "You'll find the {product} in the description."],
        "link": ["Here's the {product}: {link}", "You can get the {product} here: {link}", "The {product} is available here: {link}"],
        "several": ["Here you go: {links}", "Links: {links}"],
        "which": ["I have {products} here, which one do you mean?", "Which one: {products}?"],
        "none": ["The link is in the description!", "Check the description for the link."],
        "noun": ["The link to the {product} is in the description!", "Check the description for the {product} link."],
    },
}

_CJK = re.compile(f"[{CJK_RANGE}]")
_LATIN_WORD = re.compile(r"[^\W\d_]{1,}", re.UNICODE)
# Pinyin shorthand in an otherwise Latin comment still means a Chinese speaker.
_PINYIN_SHORTHAND = {"lj", "dd", "tb", "pdd", "jd", "dy", "xhs", "yyds", "zfb", "wx", "vx", "qq", "mai", "qiu", "lianjie"}


@dataclass
class Suggestion:
    text: str
    compliance: list[str] = field(default_factory=list)


@lru_cache(maxsize=8192)  # called per request; feeds repeat the same few texts
def is_english(text: str) -> bool:
    """Latin-script words and no CJK → answer in English."""
    if not text or _CJK.search(text):
        return False
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    return any(w not in _PINYIN_SHORTHAND for w in words)


def _platform(platform: str | None) -> str:
    return platform if platform in PLATFORMS else "web"


_TRAILING_NUMBER = re.compile(r"^(.*?)(\d{1,18})$", re.S)


def _pick(options: list[str], seed: str) -> str:
    """A stable choice per seed. Ids ending in a number (c41, c42) step through the options, so
    consecutive comments never get the same phrasing; other ids are hashed."""
    numbered = _TRAILING_NUMBER.match(seed)
    if numbered:
        index = zlib.crc32(numbered.group(1).encode("utf-8")) + int(numbered.group(2))
    else:
        index = zlib.crc32(seed.encode("utf-8"))
    return options[index % len(options)]


def _join(names: list[str], english: bool) -> str:
    if len(names) <= 1:
        return "".join(names)
    if english:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "、".join(names[:-1]) + "和" + names[-1]


def _prefix(nickname: str | None) -> str:
    return f"@{nickname.strip()} " if nickname and nickname.strip() else ""


# Where a reply points when a custom template asks for {link} but there is none we may show.
_ROUTES = {
    ("xhs", "zh"): "笔记里的商品卡", ("xhs", "en"): "the product card on this note",
    ("douyin", "zh"): "小黄车", ("douyin", "en"): "the shopping cart on this video",
    ("web", "zh"): "简介", ("web", "en"): "the description",
}


def _display_name(product: CatalogProduct, english: bool) -> str:
    """English replies use an English alias when the catalog name is Chinese (落地灯 → floor lamp)."""
    if english and _CJK.search(product.name):
        for alias in product.aliases:
            if not _CJK.search(alias) and _LATIN_WORD.search(alias):
                return alias
    return product.name


# What a template says besides its placeholders, links and addresses: the words that give its language.
_NOT_WORDS = re.compile(r"\{(?:nickname|product|link)\}|\S+@\S+|https?://\S+|www\.\S+|\S+\.[a-z]{2,}\S*", re.I)


def _template_lang(template: str, comment_lang: str) -> str:
    """The language a creator's template is written in; the comment's when it has no words of its own."""
    words = _NOT_WORDS.sub(" ", template)
    if _CJK.search(words):
        return "zh"
    return "en" if is_english(words) else comment_lang


def _render_custom(template: str, product: CatalogProduct, nickname: str | None, link: str) -> str:
    # Plain replacement, not str.format: a creator's template may contain other braces.
    out = template
    if not (nickname and nickname.strip()):
        out = out.replace("@{nickname}", "").replace("{nickname}", "")
    out = out.replace("{nickname}", (nickname or "").strip()).replace("{product}", product.name)
    return out.replace("{link}", link).strip()


def suggest_reply(
    *,
    comment_id,
    nickname: str | None,
    text: str,
    attribution: Attribution,
    platform: str = XHS,
    asked: str | None = None,
) -> Suggestion:
    """`asked`: what the comment asks for when the attribution names nothing (a product noun, see
    helper.nlp.product_nouns); the reply then names it instead of a nameless "it's in the card"."""
    english = is_english(text)
    plat = _platform(platform)
    templates = _TEMPLATES[(plat, "en" if english else "zh")]
    seed = str(comment_id) if comment_id not in (None, "") else text
    notes: list[str] = []
    products = attribution.products
    custom = products[0].reply if len(products) == 1 else None
    # Warnings are read next to the reply, so they speak its language.
    lang = _template_lang(custom, "en" if english else "zh") if custom else ("en" if english else "zh")

    def allowed_link(product: CatalogProduct) -> str:
        """The product's link if this platform lets us show it; else "" and a note why not."""
        if not product.link:
            return ""
        if is_in_platform_link(product.link, platform):
            return product.link
        notes.append(link_left_out_warning(product.name, lang))
        return ""

    if len(products) == 1:
        product = products[0]
        link = allowed_link(product)
        if product.reply:
            route = _ROUTES[(plat, lang)]  # in the template's language: it is part of that sentence
            body = _render_custom(product.reply, product, nickname, link or route)
            # Checked without the nickname: it is an @mention, not text we wrote (and the check
            # is then cached per template).
            unaddressed = _render_custom(product.reply, product, None, link or route)
            return Suggestion(body, notes + compliance_warnings(unaddressed, platform, lang))
        kind = "link" if link else "card"
        options = templates[kind] + (templates["card"] if kind == "link" and plat == XHS else [])
        body = _pick(options, seed).format(product=_display_name(product, english), link=link)
    elif products or 1 < len(attribution.candidates) <= MAX_LISTED:
        kind = "several" if products else "which"
        listed = products or attribution.candidates
        names = _join([_display_name(p, english) for p in listed], english)
        # Only the web templates list links; xhs and douyin point to cards / 小黄车 for several.
        links = [(p.name, allowed_link(p)) for p in listed] if kind == "several" and plat == "web" else []
        if links and not all(link for _, link in links):
            body = _pick(templates["card"], seed).format(product=names)
        else:
            sep = ", " if english else "；"
            body = _pick(templates[kind], seed).format(
                products=names,
                links=sep.join(f"{name}: {link}" for name, link in links),
            )
    elif asked:
        body = _pick(templates["noun"], seed).format(product=asked)
    else:
        body = _pick(templates["none"], seed)
    return Suggestion(_prefix(nickname) + body, notes + compliance_warnings(body, platform, lang))
