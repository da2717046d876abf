"""Small hand-written lexicons that let the model use the note without memorising notes.

A first version appended every title character as a feature. On held-out note genres that cost a lot
(F1 0.835 with no note → 0.751 with the title → 0.624 with title, description and "sells"): with a
few hundred training notes the model learned each note's share of requests, i.e. a bias for every
comment under it, chatter included. What the note really changes is narrower: how to read a price,
booking, contact, place, stock or date question. So the model gets conjunction features, and only when
the comment has such a question:

    "两个人多少钱" under "大理3天2晚小包团"   → tokens  ¶¶sell:price  (the title reads as selling)
    "机票多少钱"   under "大理旅行日记"        → tokens  ¶¶diary:price
    "哈哈哈"       under either                → no note tokens at all

`title_kind` reads the title (and description opening); `cue_classes` reads the comment. Both lists
are short, general words of the genre-independent kind (团/预约/出售 vs 日记/攻略/vlog), written for
this project.
"""

from __future__ import annotations

import re

# Words in a title or description opening that say the note offers something to buy or book.
_SELLING = re.compile(
    "|".join([
        r"小包团|私家团|拼团|跟团|成团|包车|接单|接急单|可约|约拍|预约|报名|招生|开课|开班|课程|体验课|试听|名额|档期",
        r"上新|新品|现货|预售|清仓|团购|秒杀|特价|活动价|优惠|福利|领券|券|折|包邮|下单|橱窗|链接|小黄车|直播间",
        r"出闲置|闲置出|转让|出售|低价出|便宜出|回血|代购|代拍|代排|定制|私人订制|工作室|门店|到店|本店|店铺|自家|手作",
        r"开售|售票|早鸟|在售|可预订|预订|到手价|工厂价|分期|外卖|发货|空运|包运|可寄|可视频|接受预定|开团|补货",
        r"价目|价格表|套餐|团单|接.{0,2}单|承接|欢迎咨询|咨询|加盟|批发|工厂|源头|厂家|in stock|for sale|booking|order now",
        r"shop|sale|discount|preorder|commission",
    ]),
)
# Words that say the note is a diary, review or share: what is shown there is not on offer.
_DIARY = re.compile(
    "|".join([
        r"日记|攻略|记录|vlog|plog|分享|测评|评测|开箱|教程|合集|复盘|心得|经验|避坑|踩雷|踩坑|游记|打卡|探店|碎碎念",
        r"实录|第.天|day\s?\d|日常|感受|体验了|去了|一日游|自驾|穷游|旅行|我的|ootd|review|diary|trip|guide|tutorial",
    ]),
)

# Comment questions whose meaning depends on the note (class name → pattern).
CUE_CLASSES = {
    "price": r"多少钱|多少米|多少r\b|几钱|多钱|价格|价钱|价位|费用|收费|怎么收|人均|一位多少|一个人多少|多少一|多少出|报价|什么价|啥价"
             r"|how much|price|cost|\$\s?\d",
    "book": r"预约|报名|预定|预订|怎么订|能订|可以订|订吗|名额|位置|档期|排期|约吗|怎么约|可以约|能约|拼团|成团|几个人|还能加"
            r"|book|reserve|slot|availability",
    "contact": r"联系|微信|vx|v信|私信|私你|私我|加你|怎么找你|电话|dm\b|contact|whatsapp",
    "place": r"在哪|哪里|哪儿|地址|哪家|门店|店在|城市|哪个城|上门|where|location|address",
    "stock": r"还有吗|还在吗|还有货|有货|有现货|卖吗|出吗|卖不卖|还能买|还有没有|sold out|still available|in stock",
    "when": r"几号|什么时候|哪天|啥时候|几点|时间|when",
}
# The texts are normalised (lower-cased, NFKC) before they get here, so the patterns are written in lower
# case and compiled without IGNORECASE, which made each search about 4x slower on the same answers.
_CUES = [(name, re.compile(pattern)) for name, pattern in CUE_CLASSES.items()]


def title_kind(text: str) -> str | None:
    """"sell", "diary" or None (the words say nothing), for a normalised title. An offer wins over diary words: a shop's
    "客片分享｜5月档期开放" sells a shoot."""
    if _SELLING.search(text):
        return "sell"
    return "diary" if _DIARY.search(text) else None


def cue_classes(comment: str) -> list[str]:
    """The note-dependent question kinds in a (cleaned, normalised) comment, in a fixed order."""
    return [name for name, pattern in _CUES if pattern.search(comment)]
