"""What Xiaohongshu forbids in a comment reply (since 2025-03): pointing people off the platform.

`compliance_warnings(text, platform, lang)` lists, in plain words, each thing in a reply that would get
it removed on Xiaohongshu: links outside xiaohongshu.com / xhslink.com, shopping codes (淘口令),
WeChat/QQ contacts, QR codes and phone numbers. Other platforms get no warnings from here: there a
product link is the normal answer.

Warnings come in the reply's language (`lang`: "zh", the default, or "en"): the creator reads them next
to that reply, in the dashboard or on the comment's badge.

The text is NFKC-normalised first, so full-width tricks (ｔａｏｂａｏ．ｃｏｍ, ￥code￥) are caught too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

XHS = "xhs"
# Hosts that stay inside Xiaohongshu: goods pages (xiaohongshu.com/goods-detail/…) and short links.
IN_PLATFORM_HOSTS = {XHS: ("xiaohongshu.com", "xhslink.com", "xhscdn.com")}

_TLDS = r"com|cn|net|org|cc|co|me|io|top|vip|shop|xyz|link|info|hk|tw|tv|app|site|store|ly|gl|to"
_URL = re.compile(
    r"(?:https?://|www\.)[^\s，。！？、；“”\"'<>（）()]+"
    rf"|(?<![a-z0-9.@-])(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![a-z0-9-])(?:[/?#][^\s，。！？、；“”\"'<>（）()]*)?",
    re.IGNORECASE,
)
# Shops and apps people name when they send buyers away; shown in the warning so it is concrete.
_KNOWN_HOSTS = {
    "taobao.com": "淘宝", "tmall.com": "天猫", "tb.cn": "淘宝", "jd.com": "京东", "3.cn": "京东",
    "yangkeduo.com": "拼多多", "pinduoduo.com": "拼多多", "douyin.com": "抖音", "iesdouyin.com": "抖音",
    "weixin.qq.com": "微信", "wx.qq.com": "微信", "qq.com": "QQ", "weidian.com": "微店",
}
_CODE = re.compile(
    r"[¥$€₤£₳¢₴₰]\s*[a-z0-9]{6,20}\s*[¥$€₤£₳¢₴₰]"  # ￥Ab12Cd34Ef￥ (￥ becomes ¥ under NFKC)
    r"|淘口令|[复復][制製](?:[这這][段条條]|整段|口令|[链鏈]接)"
    r"|打[开開](?:手[机機])?(?:淘[宝寶]|京[东東]|拼多多|tb|jd|pdd)",
    re.IGNORECASE,
)
_CONTACT_WORDS = r"v信|vx|wx|weixin|wechat|微信|威信|薇信|徽信|qq|扣扣|企鹅"
_CONTACT = re.compile(
    rf"(?<![a-z])(?:{_CONTACT_WORDS})(?![a-z])\s*(?:号|號)?\s*[:：]?\s*[a-z0-9][a-z0-9_-]{{4,19}}"
    rf"|(?:加|\+|➕)\s*(?:我\s*)?(?:的\s*)?(?:v|{_CONTACT_WORDS})(?![a-z])",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
_QR = re.compile(r"二维码|二維碼|扫码|掃碼|扫一扫|掃一掃|qr\s*code", re.IGNORECASE)
_PHONE = re.compile(r"(?<![0-9a-z])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![0-9a-z])", re.IGNORECASE)


def _host(url: str) -> str:
    host = re.sub(r"^(?:https?://)", "", url, flags=re.IGNORECASE)
    return re.split(r"[/?#:]", host, maxsplit=1)[0].lower().rstrip(".")


def _on(host: str, domains) -> str | None:
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def is_in_platform_link(link: str, platform: str) -> bool:
    """True for a link that stays on the platform (always True where the platform allows links)."""
    hosts = IN_PLATFORM_HOSTS.get(platform)
    if hosts is None:
        return True
    return bool(link) and _on(_host(link.strip()), hosts) is not None


LANGS = ("zh", "en")
# One sentence per kind of problem and language. Chinese is the default: Xiaohongshu creators read it.
_MESSAGES = {
    "zh": {
        "link": "含站外链接 {host}{shop}：小红书评论区禁止站外链接，请改为引导到商品卡或橱窗",
        "email": "含邮箱地址：小红书评论区禁止留联系方式",
        "code": "含淘口令/复制口令：小红书禁止引导打开其他App的口令",
        "contact": "含微信/QQ联系方式：小红书禁止把买家引到私下联系",
        "qr": "含二维码：小红书禁止用二维码引到站外",
        "phone": "含手机号：小红书评论区禁止留联系方式",
        "left_out": "{product}的链接不在小红书站内，已改为引导到商品卡/橱窗；在商品里填小红书商品链接即可附上",
    },
    "en": {
        "link": "off-platform link ({host}{shop}): Xiaohongshu removes comments that link outside it; "
        "point to the product card (商品卡) or 橱窗 instead",
        "email": "email address: Xiaohongshu bans contact details in comments",
        "code": "shopping code (淘口令/复制口令): codes that open another app are banned on Xiaohongshu",
        "contact": "WeChat/QQ contact: Xiaohongshu bans moving buyers to private contacts",
        "qr": "QR code (二维码): Xiaohongshu bans QR codes that lead off the platform",
        "phone": "phone number: Xiaohongshu bans contact details in comments",
        "left_out": "link of {product} left out: it leads off Xiaohongshu, so the reply points to the "
        "product card (商品卡) / 橱窗 instead; link a Xiaohongshu goods page to include it",
    },
}


def _lang(lang: str | None) -> str:
    if lang is None:
        return "zh"
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def link_left_out_warning(product: str, lang: str | None = "zh") -> str:
    """Why a product's off-platform link is missing from a Xiaohongshu reply."""
    return _MESSAGES[_lang(lang)]["left_out"].format(product=product)


def compliance_warnings(text: str, platform: str = XHS, lang: str | None = "zh") -> list[str]:
    """Plain-language warnings, in `lang`, for everything in `text` the platform would remove; [] when clean."""
    lang = _lang(lang)
    if platform != XHS or not text:
        return []
    return list(_xhs_warnings(text, lang))


@lru_cache(maxsize=4096)  # suggested replies come from a few templates: most checks repeat
def _xhs_warnings(text: str, lang: str) -> tuple[str, ...]:
    say = _MESSAGES[lang]
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=[a-z0-9])。(?=[a-z])", ".", text, flags=re.IGNORECASE)  # taobao。com
    warnings = []
    for match in _URL.finditer(text):
        host = _host(match.group())
        if _on(host, IN_PLATFORM_HOSTS[XHS]):
            continue
        known = _on(host, _KNOWN_HOSTS)
        shop = "" if not known else (f"（{_KNOWN_HOSTS[known]}）" if lang == "zh" else f", {_KNOWN_HOSTS[known]}")
        warnings.append(say["link"].format(host=host, shop=shop))
    if _EMAIL.search(text):
        warnings.append(say["email"])
    rest = _URL.sub(" ", _EMAIL.sub(" ", text))  # ids inside links must not look like phone numbers
    if _CODE.search(rest):
        warnings.append(say["code"])
    if _CONTACT.search(rest):
        warnings.append(say["contact"])
    if _QR.search(rest):
        warnings.append(say["qr"])
    if _PHONE.search(rest):
        warnings.append(say["phone"])
    return tuple(dict.fromkeys(warnings))
