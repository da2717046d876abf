"""What Xiaohongshu forbids in a comment reply (since 2025-03): pointing people off the platform.

`compliance_warnings(text, platform)` lists, in plain words, each thing in a reply that would get it
removed on Xiaohongshu: links outside xiaohongshu.com / xhslink.com, shopping codes (淘口令),
WeChat/QQ contacts, QR codes and phone numbers. Other platforms get no warnings from here: there a
product link is the normal answer.

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


def compliance_warnings(text: str, platform: str = XHS) -> list[str]:
    """Plain-language warnings for everything in `text` the platform would remove; [] when clean."""
    if platform != XHS or not text:
        return []
    return list(_xhs_warnings(text))


@lru_cache(maxsize=4096)  # suggested replies come from a few templates: most checks repeat
def _xhs_warnings(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=[a-z0-9])。(?=[a-z])", ".", text, flags=re.IGNORECASE)  # taobao。com
    warnings = []
    for match in _URL.finditer(text):
        host = _host(match.group())
        if _on(host, IN_PLATFORM_HOSTS[XHS]):
            continue
        known = _on(host, _KNOWN_HOSTS)
        shop = f", {_KNOWN_HOSTS[known]}" if known else ""
        warnings.append(
            f"off-platform link ({host}{shop}): Xiaohongshu removes comments that link outside it; "
            "point to the product card (商品卡) or 橱窗 instead"
        )
    if _EMAIL.search(text):
        warnings.append("email address: Xiaohongshu bans contact details in comments")
    rest = _URL.sub(" ", _EMAIL.sub(" ", text))  # ids inside links must not look like phone numbers
    if _CODE.search(rest):
        warnings.append("shopping code (淘口令/复制口令): codes that open another app are banned on Xiaohongshu")
    if _CONTACT.search(rest):
        warnings.append("WeChat/QQ contact: Xiaohongshu bans moving buyers to private contacts")
    if _QR.search(rest):
        warnings.append("QR code (二维码): Xiaohongshu bans QR codes that lead off the platform")
    if _PHONE.search(rest):
        warnings.append("phone number: Xiaohongshu bans contact details in comments")
    return tuple(dict.fromkeys(warnings))
