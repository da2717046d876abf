"""The hand-written slot and phrase lists the corpus generator (generate_corpus.py) combines: products,
referents, prefixes and suffixes, and per family the request templates (REQ_*) and the hard negatives
that share their words (NEG_*). All text here is written for this project; none comes from the shared
real comments. Changing a list changes models/corpus/generated.jsonl (regenerate and commit both).
"""

from __future__ import annotations

# ---------------------------------------------------------------- slots
PRODUCTS = {
    "clothes": "裙子 连衣裙 外套 毛衣 卫衣 裤子 牛仔裤 阔腿裤 衬衫 大衣 羽绒服 打底衫 吊带 半身裙 西装 马甲 睡衣 袜子 "
    "鞋子 靴子 小白鞋 运动鞋 拖鞋 帽子 围巾 包包 双肩包 托特包 耳环 项链 手链 戒指 发夹 抓夹 墨镜 腰带 针织开衫 "
    "冲锋衣 瑜伽裤 泳衣 发圈".split(),
    "beauty": "口红 唇釉 唇泥 粉底液 气垫 眼影盘 腮红 高光 眉笔 睫毛膏 面霜 精华 防晒 洗面奶 香水 身体乳 洗发水 "
    "护发精油 指甲油 美甲贴 卸妆油 面膜 遮瑕 散粉 美瞳".split(),
    "home": "沙发 地毯 落地灯 台灯 窗帘 四件套 收纳盒 置物架 餐桌 椅子 书架 花瓶 香薰 抱枕 床垫 挂画 镜子 餐具 "
    "杯子 马克杯 茶几 衣柜 吊灯 地垫 浴巾 保温杯 锅 砧板".split(),
    "food": "零食 咖啡豆 茶叶 蛋糕 辣酱 螺蛳粉 坚果 酸奶 面包 牛肉干 月饼 果干 燕麦 挂耳咖啡 麻辣烫底料".split(),
    "tech": "耳机 手机壳 键盘 鼠标 显示器 充电宝 支架 相机 投影仪 音箱 手表 吹风机 扫地机器人 平板 电脑包 "
    "卷发棒 电动牙刷 加湿器 台式风扇 数据线 拍立得".split(),
    "pets_kids": "猫粮 猫砂 猫爬架 狗绳 狗窝 玩具 绘本 积木 婴儿车 儿童餐椅".split(),
    "service": "这个团 这条路线 这家民宿 拍照套餐 定制款 这个课程 跟拍 包车 手作课 写真".split(),
}
ALL_PRODUCTS = [p for ps in PRODUCTS.values() for p in ps]
EN_PRODUCTS = (
    "dress jacket sweater hoodie jeans pants shirt coat boots sneakers bag backpack earrings necklace "
    "ring lipstick foundation palette blush mascara serum sunscreen perfume rug lamp sofa chair table "
    "mirror vase mug headphones keyboard mouse case charger camera speaker watch hair dryer blender "
    "toy leash bed frame curtains shoes top skirt glasses".split()
)
REFS_ZH = ["这个", "这件", "这款", "这条", "图一的", "图2的", "第三张的", "第二个", "左边那个", "视频里的",
           "博主身上的", "你的", "最后那个", "P3的", "封面的", "那个", "这双", "这套", "图4"]
NAMES = ["小鱼", "momo", "芝士不加糖", "Lily", "一只橘猫", "阿花", "kiki酱", "豆豆", "晚风", "Cathy"]
PREFIX = ["", "", "", "", "姐妹", "博主", "宝子", "集美", "请问", "求问", "啊啊啊", "好好看", "太绝了", "[哭惹R]",
          "😍", "天哪", "小姐姐", "老师", "好喜欢", "救命", "哇", "dd", "@{name} ", "请问一下", "想问下", "姐妹们",
          "真的好看", "爱了爱了", "[赞R]", "美女", "亲", "宝宝", "lz"]
SUFFIX = ["", "", "", "", "？", "?", "呀", "啊", "谢谢", "谢谢博主", "😭", "🙏", "[哭惹R]", "[派对R]", "!!", "～",
          "求求了", "急", "[笑哭R]", "🥺", "😍😍", "！", "??", "嘛", "呢", "哇", "捏", "[害羞R]", "。", "谢谢啦"]
# Opinion softeners (honestly, imo, i think) once stood only in the chatter families, so the model read them
# as "not a request"; they open asks just as often ("honestly where did you get it").
EN_PREFIX = ["", "", "", "omg ", "wow ", "hi! ", "hey ", "this is gorgeous, ", "love it! ", "@{name} ", "ok ",
             "need this. ", "so pretty ", "girl ", "sis ", "queen ", "😍 ", "honestly ", "ok honestly ", "imo ",
             "i think ", "i think i need this, ", "tbh "]
EN_SUFFIX = ["", "", "", "?", "??", " please", " pls", " plz", " 🙏", " 😍", "!!", " thanks", " thank you!",
             " asap", " lol", " 😭", " ❤️", "?!", " x"]
PRICES = ["19.9", "39元", "199", "两百多", "¥88", "5条29.9", "一百出头", "69包邮", "128", "9块9", "300多", "45r"]
COUNTRIES = ["canada", "uk", "the us", "australia", "germany", "india", "malaysia", "the philippines", "mexico",
             "singapore"]

# ---------------------------------------------------------------- positives (label 1)
REQ_REF = [  # {r} = referent, {p} = product
    "求{r}{p}链接", "{r}{p}求链接", "{r}{p}链接有吗", "{r}{p}哪里买的", "{r}{p}在哪买", "{r}{p}什么牌子",
    "{r}{p}是什么牌子的", "{r}{p}多少钱", "{r}{p}怎么买", "{r}{p}还有货吗", "{r}{p}哪家店的", "{r}{p}是哪家店铺的",
    "{r}{p}淘宝叫什么", "{r}{p}有链接吗", "{r}{p}求店铺", "请问{r}{p}是在哪里买的呀", "{r}{p}求购买方式",
    "{r}{p}包邮吗", "{r}{p}能发个链接吗", "想要{r}{p}的链接", "{r}{p}是哪个牌子的", "{r}{p}型号多少", "{r}{p}是哪一款",
    "{r}{p}求店名", "{r}{p}哪里可以买到", "{r}{p}在哪下单", "{r}{p}怎么下单", "{r}{p}是淘宝还是pdd", "{r}{p}淘宝有吗",
    "{r}{p}拼多多有吗", "{r}{p}京东能买吗", "{r}{p}抖音有卖吗", "{r}{p}价格多少", "{r}{p}贵不贵", "{r}{p}什么价位",
    "{r}{p}什么时候补货", "{r}{p}补货了吗", "{r}{p}断货了吗", "{r}{p}还能买到吗", "{r}{p}有现货吗", "{r}{p}有同款吗",
    "求{r}{p}同款", "{r}{p}求品牌", "{r}{p}叫什么名字", "{r}{p}有没有链接", "蹲{r}{p}链接", "同求{r}{p}链接",
    "{r}{p}的lj", "{r}{p}求🔗", "{r}{p}🔗呢", "{r}{p}有卖吗", "{r}{p}怎么卖", "{r}{p}有优惠吗", "{r}{p}能便宜点吗",
    "{r}{p}求个店铺名", "{r}{p}店铺名呢", "{r}{p}哪个平台买的", "{r}{p}线下哪里有", "{r}{p}实体店有吗",
    "想买{r}{p}，去哪买", "{r}{p}好想要，哪里有", "{r}{p}一模一样的有吗", "{r}{p}有其他颜色吗", "{r}{p}有大码吗",
    "{r}{p}有s码吗", "{r}{p}可以寄到香港吗", "{r}{p}发顺丰吗", "{r}{p}什么材质的，哪里买", "{r}{p}是哪个店的呀",
    "{r}{p}链接挂一下", "{r}{p}挂个车吧", "{r}{p}上车", "{r}{p}求口令", "{r}{p}求淘口令", "{r}{p}橱窗有吗",
    "{r}{p}商品卡在哪", "{r}{p}求分享购买渠道", "{r}{p}哪个店铺呀", "{r}{p}有店铺推荐吗", "{r}{p}具体哪款呀",
]
REQ_BEAUTY = ["{p}色号是多少", "求{p}色号", "{p}什么色号", "{p}是几号色", "嘴巴上的是什么色号", "这个色号叫什么",
              "{p}是哪个色号呀", "{p}求色号和牌子", "{p}是哪个牌子哪个色", "博主用的{p}是哪款", "求{p}的牌子和色号",
              "{p}用的哪个颜色", "眼妆用的什么{p}", "{p}色号求求", "口红色号！", "唇色好好看求色号"]
REQ_SERVICE = ["{p}多少钱一位", "{p}两个人多少钱", "{p}怎么报名", "{p}怎么预约", "{p}怎么收费", "{p}可以约吗",
               "{p}怎么联系", "{p}还有名额吗", "{p}周末可以订吗", "{p}人均多少", "{p}一晚多少钱", "{p}怎么订",
               "{p}求报价", "{p}可以定制吗", "{p}在哪里约", "{p}包含门票吗 多少钱"]
REQ_BARE = [
    "求链接", "链接", "链接呢", "链接呢？", "蹲链接", "蹲一个链接", "求lj", "lj", "lj呢", "求🔗", "🔗", "🔗?", "🔗🔗",
    "链接有吗", "有链接吗", "同求链接", "可以给个链接吗", "求个链接谢谢", "链接链接链接", "求链接求链接", "链接！！！",
    "求购买链接", "链接发一下", "能发个链接吗", "滴滴链接", "dd链接", "求连接", "求练接", "求链节", "求琏接", "求链jie",
    "求lian接", "链接失效了能再发吗", "链接打不开了 能重新发一下吗", "求挂车", "挂个车吧", "什么时候上车", "求口令",
    "蹲一个店铺", "求店铺名", "店铺名呢", "店铺叫什么", "哪家店", "哪家店铺", "是哪个店", "什么店买的", "求店名",
    "哪里买", "在哪买的", "哪买的", "哪里可以买到", "怎么买", "怎么下单", "在哪下单", "怎么购买", "如何购买",
    "哪个平台", "是淘宝还是pdd", "tb有吗", "pdd有吗", "淘宝搜什么", "淘宝能搜到吗", "jd有吗", "京东有卖吗",
    "什么牌子", "啥牌子", "求牌子", "哪个牌子的", "求色号", "色号", "色号是多少", "哪款", "是哪一款", "型号是多少",
    "求型号", "求同款", "求品牌", "求款号", "多少钱", "价格多少", "什么价位", "怎么卖", "多少钱一个", "包邮吗",
    "还有货吗", "有现货吗", "什么时候补货", "补货了吗", "能寄到香港吗", "有优惠吗", "还有国补吗", "有券吗",
    "怎么收费", "求购买方式", "求渠道", "购买渠道是什么", "求分享店铺", "橱窗在哪", "商品卡在哪", "求上架",
    "什么时候上架", "可以出一个链接吗", "求开团", "什么时候开团", "还会返场吗", "求返场", "私我链接", "求私链接",
    "链接私我一下", "可以私发链接吗", "求推荐店铺", "想买", "我要买", "怎么入手", "在哪入手", "哪里入",
    "哪入的", "求入口", "购买入口在哪", "去哪里找", "有同款链接吗", "有平替吗 求链接", "求名字", "叫什么名字呀",
    "东西叫什么", "这是啥牌子的", "蹲牌子", "蹲色号", "蹲店铺", "蹲一个购买方式", "蹲补货", "什么时候有货",
    "能不能上个链接", "可以挂链接吗", "有没有淘宝店", "有没有拼多多的", "闲鱼有吗", "得物有吗", "咸鱼能买到吗",
    "小红书店铺有吗", "能直接在这买吗", "这里能下单吗", "多少米", "啥价", "几钱", "边度买", "喺边度买", "有冇link",
    "价钱多少", "卖吗", "出吗", "有卖的吗", "卖不卖", "多钱", "多少r", "多少米一个", "怎么拍", "在哪拍的同款",
    "视频里的都想要 求链接", "一起求", "求求链接", "求购", "想入手 求链接", "求一个无水印的购买链接",
]
REQ_EN_REF = [
    "where can i buy {a} {p}", "where did you get {a} {p}", "where did you buy {a} {p}", "link to {a} {p}",
    "what brand is {a} {p}", "what's the brand of {a} {p}", "who makes {a} {p}", "name of {a} {p}",
    "how much is {a} {p}", "how much does {a} {p} cost", "is {a} {p} on amazon", "where to buy {a} {p}",
    "can i get a link to {a} {p}", "i need {a} {p}, where did you get it", "what shade is {a} {p}",
    "is {a} {p} still available", "is {a} {p} in stock", "when will {a} {p} be restocked", "link for {a} {p}",
    "where can i find {a} {p}", "where do i get {a} {p}", "what's the name of {a} {p}", "which {p} is this",
    "what {p} is that", "can you share the link to {a} {p}", "price of {a} {p}", "where'd you get {a} {p}",
    "need {a} {p} asap, link", "does {a} {p} come in black", "is {a} {p} available in my size",
    "i want {a} {p}! where to buy", "how can i order {a} {p}", "what model is {a} {p}", "sauce on {a} {p}",
]
EN_DET = ["the", "this", "that", "your", "the blue", "the little", "that pink"]
REQ_EN_BARE = [
    "link?", "link pls", "link please", "link plz", "links?", "drop the link", "where can i buy this",
    "where can i buy it", "where did you get it", "where did you get this", "where to buy", "where to buy?",
    "what brand", "what brand is it", "what's the brand", "brand?", "how much", "how much is it", "price?",
    "price please", "price pls", "how can i purchase it?", "how do i order", "how do i buy this", "is it on amazon?",
    "available in india?", "do you ship to {c}?", "ship to {c}?", "does it ship to {c}", "is it still available",
    "sold out? when restock", "can i order one", "i need the link", "need the link", "can you share the link",
    "shop name?", "what's the website", "website?", "is there a discount code", "discount code?",
    "wow where can i get one", "take my money, where do i buy", "where can i order", "how to order",
    "any link?", "link in bio?", "is there a link", "can you post the link", "pls post the link", "the link is dead, repost?",
    "link doesn't work, can you send it again", "what's it called?", "what is this product called", "product name?",
    "name of the product pls", "which store?", "what store is this from", "is this from shein", "is it from temu",
    "etsy link?", "amazon link?", "tiktok shop link?", "how much for two", "what's the price", "cost?",
    "is shipping free", "do you sell these", "are you selling this", "can i buy one from you", "taking orders?",
    "do you take custom orders", "how much for a custom one", "i want one!! how do i get it", "dm me the link",
    "can you dm me where to buy", "where is this from", "where's it from", "where is it sold", "what shade",
    "shade name?", "what shade are you wearing", "where can i get the same one", "i need this in my life, link??",
    "lnk pls", "linkk", "whr to buy", "were can i buy this", "price plz", "prize?", "how mush", "is this available in stores",
]
REQ_OTHER_LANG = [
    "¿dónde lo compro?", "dónde lo puedo comprar", "¿cuánto cuesta?", "precio?", "link por favor", "¿dónde se consigue?",
    "¿hacen envíos a méxico?", "¿cómo lo compro?", "¿qué marca es?", "¿dónde lo venden?", "precio por favor",
    "me pasas el link", "quiero uno, dónde lo consigo", "¿tienen tienda?", "onde compro?", "qual o preço?",
    "どこで買えますか", "これどこの？", "ブランド教えてください", "いくらですか", "リンクください", "どこで売ってますか",
    "어디서 사요?", "제품명 알려주세요", "얼마예요?", "링크 주세요", "어디 제품이에요?", "où acheter ?", "combien ?",
    "wo kann man das kaufen?", "求link", "这个lipstick色号", "where买的", "求tb link", "link呢", "how much 呀",
    "what brand 呀", "求shop链接", "this 哪里买", "brand是什么", "求amazon链接",
]

# ---------------------------------------------------------------- negatives (label 0)
NEG_REF = [  # finished purchases, reviews, compliments, complaints about {r}{p}
    "{r}{p}我也买了", "同款{p}！", "{p}同款", "{r}{p}已经下单了", "{r}{p}质量很好", "{r}{p}真的好用", "{r}{p}买了不后悔",
    "{r}{p}踩雷了", "{r}{p}收到了很喜欢", "{r}{p}颜色很正", "我的{p}也是这个", "{r}{p}太好看了", "{r}{p}好适合你",
    "{r}{p}有点贵但值", "{r}{p}我买的时候{price}", "{r}{p}已回购", "{r}{p}用了一个月了", "{r}{p}发货好慢",
    "{r}{p}色差好大", "{r}{p}退了", "{r}{p}穿着很舒服", "{r}{p}我有一样的", "已入{r}{p}", "刚下单了{p}",
    "{r}{p}买了三个", "{p}是我的最爱", "{r}{p}绝了", "{r}{p}好可爱", "{r}{p}一般般", "{r}{p}不值这个价",
    "{r}{p}比专柜便宜好多", "{r}{p}已经断货了好可惜", "{p}同款 超好穿", "{p}同款 超好用", "同款{p}已经用空了",
    "{r}{p}跟我的一模一样", "我家也有这个{p}", "{r}{p}我妈也有", "{r}{p}好有质感", "{r}{p}很显白",
    "{r}{p}刚到货", "{r}{p}我在用", "{r}{p}拍照好出片", "{r}{p}看起来好贵", "{r}{p}好难买", "{r}{p}我抢到了",
    "{r}{p}买了但是还没到", "{r}{p}被种草了", "{r}{p}好想要但是没钱", "{r}{p}钱包说不行", "又要剁手了 {p}太好看",
    "{r}{p}链接我已经找到了 谢谢", "{r}{p}买到了！谢谢博主", "{r}{p}已经在购物车了", "{r}{p}用着一般 不推荐",
    "{r}{p}味道好奇怪", "{r}{p}质量太差了", "{r}{p}客服态度差", "{r}{p}起球了", "{r}{p}好吃", "{r}{p}有点咸",
]
NEG_SELLER = [  # the creator or a seller answering / advertising
    "{p}在第{n}个链接哦", "第一条链接就是{p}", "橱窗有{p}哦", "{p}链接已挂在商品卡", "宝子{p}在橱窗第{n}个",
    "需要{p}的私我", "私信发你啦", "已私信", "已私", "已发", "链接在主页哦", "点左下角商品卡就可以买", "{p}今晚补货",
    "{p}现货秒发", "{p}{price}包邮，需要的滴滴", "第一条链接可以购买哦", "第一条链接还有橱窗都可以购买哦", "橱窗有",
    "需要的私我", "评论区置顶有链接", "点我头像进店", "链接放主页了", "宝子去橱窗看看", "感兴趣的可以私我",
    "都在第一个链接哦", "第{n}个链接是{p}", "同一个链接，{p}{price}", "同一个链接哦", "买两件打八折", "今晚8点直播间上新",
    "{p}已经上架啦", "链接已更新", "链接已挂", "商品卡已挂", "置顶评论有购买方式", "左下角可以直接拍", "主页店铺有哦",
    "已回复 请查收私信", "宝贝们{p}补货啦", "{p}还有少量现货", "直接拍就行 默认顺丰", "拍下备注颜色哦", "包邮的亲",
    "{price}，包邮", "{p}是{price}哦", "淘宝搜店名就能找到", "在我的橱窗里哦", "看我主页", "私你了", "回你了宝",
    "已经发你了", "链接在简介里", "戳左下角", "商品链接在视频下方", "同款在店铺首页", "关注店铺领券", "新品八折",
    "{p}{price}，需要的评论区扣1", "扣1发链接", "想要的扣1", "需要的宝子扣想要", "点赞过百出教程", "谢谢喜欢",
    "谢谢宝子", "是的哦", "没有了 已经断货", "下周补货", "是的亲 包邮", "不包邮哦", "是淘宝买的", "在拼多多买的",
    "是某宝的 搜{p}就有", "我是在京东买的", "朋友送的 不知道哪里买", "很久以前买的 找不到了", "是线下店买的",
]
NEG_BARE = [
    "同款！", "同款", "已买", "已下单", "买了很好", "刚买了", "已入", "已经回购三次了", "我也买了", "到货了", "好用",
    "不好用", "踩雷了", "退货了", "哈哈哈哈", "笑死", "好看", "太美了", "爱了", "爱了爱了", "绝绝子", "yyds", "可爱",
    "蹲", "求", "同问", "同求", "+1", "1", "我也想知道", "蹲一个", "dd", "顶", "来了", "第一", "沙发", "前排",
    "码住", "收藏了", "mark", "马住", "学到了", "好美", "太好哭了", "感动", "加油", "支持", "哈哈哈", "啊啊啊啊",
    "好喜欢", "博主好可爱", "小姐姐好漂亮", "博主多高多重", "这是哪里", "在哪拍的", "这是在哪里拍的", "背景音乐是什么",
    "bgm叫什么", "求bgm", "求教程", "求参数", "光圈多少", "用的什么滤镜", "求滤镜", "求调色参数", "发型怎么弄的",
    "求妆容教程", "怎么做的", "求配方", "几岁了", "是哪个城市", "这是哪个景点", "求地址 想去打卡", "求定位",
    "蓝牙怎么链接", "手机链接不上", "链接wifi失败", "连接不上", "网络链接失败", "打印机怎么连接电脑", "耳机连接不上手机",
    "网页链接", "求报名链接", "表格链接发一下", "问卷链接在哪", "健康码怎么弄", "会议链接发群里了吗", "直播回放链接",
    "求原视频链接", "求原图", "求壁纸", "求网盘链接", "求资料链接", "求课件", "求原文链接", "投票链接在哪",
    "谢谢分享", "太有用了", "收藏从未停止", "已关注", "互关", "互赞", "关注我带你看更多", "免费领取资料", "加v了解",
    "兼职日结", "点赞了", "好羡慕", "太贵了买不起", "这得多少钱啊 买不起", "这房子得多少钱", "有钱真好", "穷哭了",
    "谁懂啊", "破防了", "好真实", "是我了", "哈哈哈哈哈哈", "本人已疯", "又是被种草的一天", "钱包空了", "剁手",
    "好想要", "想要", "心动", "被种草了", "好馋", "看饿了", "好治愈", "晚安", "早上好", "下次一定", "打卡",
    "第一次这么早", "求更新", "更新好慢", "什么时候出下一期", "博主是做什么工作的", "博主是哪里人", "好有品味",
    "家里好干净", "好会搭", "穿搭好好看", "你男朋友真好", "这猫好胖", "狗狗好可爱", "宝宝好可爱", "羡慕了",
    "链接一下我们之间的回忆", "灵魂链接", "和大家链接起来", "上链接了吗 哈哈开玩笑", "我就是链接本人",
    "博主回复我了", "谢谢博主回复", "找到了 谢谢", "已经买到了", "买到啦谢谢", "好的谢谢", "收到", "好的",
    "这个价格好良心", "价格太离谱了", "现在涨价了", "比我买的便宜", "我买贵了", "我199买的", "我买的时候39",
    "活动价才19.9 冲了", "已经降价了", "双十一买的更便宜", "拼多多更便宜", "淘宝同款便宜一半", "京东买的正品",
    "踩坑了别买", "智商税", "质量堪忧", "客服不理人", "发货太慢了", "快递好慢", "包装破了", "色差严重", "退款了",
]
NEG_EN = [
    "love this", "so cute", "i bought it last week and it's great", "got mine today", "thanks for the link!",
    "the link in bio is a scam", "link in bio", "check the link in my bio", "click the link below to shop",
    "link is in the description", "link is pinned", "i linked it below", "linked in the description",
    "this is so satisfying", "who else is watching this in 2025", "first", "lol", "omg", "amazing video",
    "thank you for sharing", "love from india", "great tutorial", "what song is this", "song name?",
    "you look beautiful", "i tried this and it worked", "my mom has the same one", "i bought it and it broke",
    "where is this place?", "what camera do you use", "what lens is this", "is this real?", "scam",
    "don't buy this", "this is so overpriced", "mine broke after a week", "i have the same one", "same!",
    "bought it, love it", "ordered mine!", "just got it in the mail", "it arrived today", "returned it",
    "worst purchase ever", "customer service is terrible", "totally worth the price", "cheaper on amazon lol",
    "i paid $20 for mine", "got it for half price", "mine was $15", "too expensive for me", "i wish i could afford this",
    "take my money lol", "need this in my life", "i want this so bad", "so aesthetic", "obsessed", "this is genius",
    "how tall are you", "how old are you", "what's your name", "tutorial please", "can you do a tutorial",
    "recipe please", "what's the recipe", "how did you make this", "how long did it take", "what app is this",
    "what filter is this", "where was this filmed", "what city is this", "is this in tokyo", "subscribe to my channel",
    "check out my page", "follow me for more", "dm me for collab", "i sell these too, check my shop", "nice",
    "wow", "cool", "beautiful", "amazing", "perfect", "so good", "hahaha", "😂😂😂", "❤️❤️", "🔥🔥🔥", "me too",
    "same question", "+1", "following", "following for the answer", "thanks", "thank you", "great job", "well done",
    "this made my day", "i'm crying", "the cat is so cute", "your dog is adorable", "what breed is your dog",
    "how do i link my account", "the bluetooth won't connect", "how do i connect it to my phone", "link my spotify",
    "i can't open the form link", "where's the sign up link", "zoom link?", "link to the original video?",
    "link to the full video", "is there a part 2", "part 2 please", "more videos like this", "this aged well",
    "the music is so relaxing", "what font is this", "what editing app do you use", "your skin is glowing",
    "you're so talented", "i made this and my family loved it", "love the colors", "the quality is amazing",
    "this is fake", "clickbait", "bought two, gave one to my sister", "my order never came", "refund please",
    "the price went up", "it was on sale yesterday", "i found it cheaper elsewhere", "already ordered, can't wait",
    "you should sell these", "you should make more of these", "thank you for the link, just ordered!",
]
NEG_OTHER_LANG = [
    "me encanta", "qué bonito", "jajaja", "gracias por compartir", "ya lo compré", "lo tengo y es genial", "hermoso",
    "qué canción es?", "saludos desde chile", "increíble", "muito lindo", "amei", "obrigada", "かわいい", "すごい",
    "ありがとうございます", "最高", "私も買いました", "この曲なに？", "どこで撮影しましたか", "素敵です", "癒される",
    "笑った", "美味しそう", "너무 예뻐요", "대박", "감사합니다", "저도 샀어요", "노래 제목 뭐예요", "귀여워요",
    "ㅋㅋㅋㅋ", "c'est magnifique", "merci", "wunderschön", "danke", "bellissimo", "đẹp quá", "สวยมาก", "😍😍😍",
    "👍", "🥰🥰", "👏👏👏", "[赞R][赞R]", "[哭惹R]", "[笑哭R][笑哭R]", "[派对R]", "@小鱼", "@momo @晚风",
]
WEIBO = ["#{p}# 今天的分享 网页链接", "转发微博 网页链接", "好物推荐 {p} 网页链接", "// @豆豆: 网页链接",
         "抽奖 {p} 网页链接", "详情戳 网页链接"]

# ---------------------------------------------------------------- context: neutral clauses
# Real comments are often several clauses; a request can sit inside chatter and a long rant can
# mention buying without asking. These clauses (no buying request in them) are glued around cores.
NEUTRAL_ZH = [
    "看起来不错", "颜色好温柔", "博主皮肤好好", "我家那个也差不多", "最近好冷", "今天刚下班", "刷到好几次了",
    "我妈看了也说好看", "拍得好有氛围", "房间好干净", "真的好会拍", "已经关注了", "第一次刷到你", "这个视频好治愈",
    "看完心情好好", "我纠结好久了", "之前一直在找", "室友也在问", "我是学生党", "宝宝两岁了", "我家猫也这样",
    "周末刚去过", "天气好热", "我也是这个肤色", "这个搭配绝了", "最后一张好美", "配色好舒服", "看着好高级",
    "视频剪得好好", "好喜欢你的风格", "太会了", "我先收藏了", "朋友推荐过来的", "老公说好看", "上次那个也好看",
    "换季了", "今年流行这个", "风好大", "我在外地", "孩子很喜欢", "姐妹们冲", "每次看你都想买东西", "好有生活感",
]
NEUTRAL_EN = [
    "great video", "love the colors", "you look amazing", "this is so cozy", "my sister loves this style",
    "i've been looking for something like this", "watched this three times", "the lighting is perfect",
    "your room is goals", "so pretty", "the vibe is everything", "i'm new here", "my cat does the same thing",
    "saw this on my feed", "finally someone made this", "this is exactly my style", "love your content",
    "it's so cold here", "just got home from work", "my mom would love this", "the editing is so clean",
]

# ---------------------------------------------------------------- more hard negatives (label 0)
FEATURE_Q_ZH = [  # questions about the item itself, not about getting it
    "{r}{p}透气吗", "{r}{p}会起球吗", "{r}{p}掉色吗", "{r}{p}噪音大吗", "{r}{p}好用吗", "{r}{p}适合油皮吗",
    "{r}{p}会勒吗", "{r}{p}尺码标准吗", "{r}{p}偏大还是偏小", "{r}{p}能机洗吗", "{r}{p}什么材质的",
    "{r}{p}是纯棉的吗", "{r}{p}重不重", "{r}{p}续航怎么样", "{r}{p}防水吗", "{r}{p}难不难装", "{r}{p}会不会闷",
    "{r}{p}冬天穿冷吗", "{r}{p}味道大吗", "{r}{p}甜不甜", "{r}{p}辣吗", "{r}{p}保质期多久", "{r}{p}容易坏吗",
    "{r}{p}洗了会变形吗", "{r}{p}孩子能用吗", "{r}{p}孕妇能用吗", "{r}{p}敏感肌能用吗", "{r}{p}持妆久吗",
    "{r}{p}显黑吗", "{r}{p}卡粉吗", "{r}{p}拔干吗", "{r}{p}有味道吗", "{r}{p}舒服吗", "{r}{p}好清洗吗",
    "{r}{p}用了多久了", "{r}{p}你用着怎么样", "{r}{p}值得买吗", "{r}{p}和上一代比怎么样", "{r}{p}是新款吗",
    "{r}{p}可以手机控制吗", "{r}{p}要充电吗", "{r}{p}多大尺寸", "{r}{p}多高", "{r}{p}一包几个", "{r}{p}软不软",
    "{r}{p}会褪色吗", "{r}{p}怎么洗", "{r}{p}怎么用", "{r}{p}需要搭配什么", "{r}{p}男生能用吗", "{r}{p}胖子能穿吗",
    "{r}{p}宝宝穿着舒服吗", "{r}{p}夏天热不热", "{r}{p}真的有用吗", "{r}{p}是不是智商税", "{r}{p}安全吗",
]
FEATURE_Q_EN = [
    "does {a} {p} come with a case", "how long does the battery last", "is {a} {p} waterproof",
    "does it support bluetooth", "can it handle long recordings", "is it worth it", "does {a} {p} run small",
    "is {a} {p} comfortable", "how heavy is {a} {p}", "does it fade after washing", "is it safe for kids",
    "does it work offline", "how many languages does it support", "does {a} {p} need batteries",
    "is it noisy", "does it get hot", "how do you clean {a} {p}", "is {a} {p} good for sensitive skin",
    "how long have you had {a} {p}", "does it last long", "is it loud", "can you use it while charging",
    "does it have a warranty", "is it better than the old model", "how big is it", "does it smell",
]
PRICE_OPINION_ZH = [
    "价格太高了", "这个价格还行", "性价比好高", "价格还便宜耶", "{r}{p}太贵了吧", "这价格有点离谱", "贵是贵但是好用",
    "一分钱一分货", "价格劝退", "等降价再说", "便宜没好货", "{price}真的值", "比线下便宜多了", "涨价了不想买了",
    "这个价位没有更好的了", "学生党买不起", "打工人哭了", "{r}{p}{price}我觉得不值", "活动的时候更便宜",
    "我买的时候才{price}", "京东卖{price}", "实体店要{price}", "淘宝同款才{price}", "这个价格能买两个了",
    "以前才{price}现在涨了", "价格真香", "价格良心", "有点小贵", "买贵了心痛", "钱包在哭泣",
]
PRICE_OPINION_EN = [
    "the price is too high", "the price seems high compared to similar ones", "it's overpriced",
    "good value for the money", "affordable price for what you get", "not worth the price", "way too expensive",
    "the price is reasonable", "for the price it should come with more", "i'd buy it if it were cheaper",
    "why does it cost so much", "the price point is a bit steep", "cheaper alternatives exist",
    "it costs more than my phone", "price went up again", "i paid {price} for mine", "mine was cheaper",
    "is it really worth that price", "too pricey for students", "the price is fair honestly",
]
BUY_STATEMENT_ZH = [
    "我也想买", "买买买", "买啦", "已经买了", "给孩子买的", "应该买个带{p}的", "我还想买个{p}", "加价买的",
    "去淘宝或者抖音，我两边都买过", "拼夕夕买的", "我是在京东买的", "买了三次了", "给我妈买了一个", "下次一定买",
    "买之前看到就好了", "幸好没买", "买了就后悔", "我老公偷偷买的", "买{p}要买品牌的才放心", "给女朋友买了",
    "{p}一定要买大一码", "买的时候要注意尺码", "建议大家别买", "不要买便宜的", "买过三个{p}了 还是这个好",
    "你们都买了吗", "宝子买过{p}吗", "有人买过吗", "谁买过这个", "买了的姐妹说说怎么样", "为什么要买这个",
    "买这个干嘛", "不如买个{p}", "我要存钱买{p}", "打算年底买", "这个月不能再买了", "信你，买去",
]
BUY_STATEMENT_EN = [
    "i will buy it", "might buy one", "why would i buy this", "i was about to buy one", "just buy a new phone",
    "you need to buy new shoes", "i'm gonna buy this for my mom", "i bought two", "never buying this again",
    "why buy a device when there's an app", "i'd rather buy the original", "buy it before it sells out",
    "i already bought mine", "has anyone bought this", "did you buy a new tv", "i can't afford to buy this",
    "i'll buy it next month", "don't buy the cheap ones", "who would buy this", "thinking about buying one",
]
OTHER_Q_ZH = [  # questions about anything but buying
    "这剧叫什么名字", "这是什么电影", "这女的叫什么", "男主是谁", "这首歌叫什么", "这是哪个综艺", "怎么办",
    "这能通过年检吗", "可以自己操作吗", "你家宝宝多少斤", "怎么戒的啊", "你是怎么坚持下来的", "这是真的吗",
    "这是哪一集", "博主多大了", "你是学什么的", "在哪个城市", "几点开门", "要排队吗", "停车方便吗",
    "这个能报销吗", "医保能用吗", "怎么预约挂号", "考试难吗", "怎么复习的", "工资多少", "房租多少钱一个月",
    "去那边要多久", "需要签证吗", "门票贵吗 好玩吗", "你们那里下雪了吗", "猫咪几岁了", "是什么品种的狗",
    "头发是自然卷吗", "你化妆多久", "这是第几天了", "有人一起吗", "还有人记得吗", "是我一个人觉得吗",
    "为什么会这样", "这是什么原理", "能教教我吗", "怎么做到的", "有教程吗", "能出个教程吗", "后续呢", "结局呢",
]
OTHER_Q_EN = [
    "what's the name of this show", "who is the actress", "what movie is this", "how much are you paying for rent",
    "how much did you pay to say that", "how much storage does it have", "can you transfer files wirelessly",
    "does anyone know why", "where is this filmed", "how old is your cat", "what breed is he", "where do you live",
    "how did you learn that", "is this your house", "what time is it there", "who won", "is this real life",
    "where to check the results", "how long did it take you", "what app do you use to edit", "can you make a part 2",
    "where does the other one come from", "how do you stay so motivated", "is it safe to travel there",
]
SELLER_SHORT = [  # short replies a seller or the creator writes under questions
    "有啊，店铺里", "没了 店铺里面看看", "有的 还比较多", "是的 还有其他花色", "联系客服亲亲", "店铺里有的 联系客服",
    "有的宝", "没有了呢", "还有", "有货", "今天发", "明天发货", "可以的", "是的", "都有的", "有大码", "可以寄",
    "不包邮", "包邮", "顺丰到付", "在的亲", "亲 看主页", "看置顶", "看商品卡", "都在橱窗", "在第二个",
    "另外的链接里面看看", "店里都有", "直播间有", "已经上新了", "周五补货", "卖完了", "售罄了", "已私你",
]
LONG_RANT_ZH = [  # opinion pieces that mention prices and buying without asking
    "现在的东西越来越贵，工资不涨，能省则省吧", "医院的药比网上贵好多，真的搞不懂", "这车价格要是再低一点肯定卖爆",
    "说到底还是渠道加价太多，最后买单的是我们", "以前十几块的东西现在都要几十了", "理性消费，别被种草冲昏头",
    "存钱是为了以后买房，现在能不花就不花", "平台抽成太高，商家只能涨价", "买东西前一定要看评价，别冲动",
    "集采以后好多东西便宜了，但是质量也难说", "不要迷信大牌，适合自己最重要", "直播间的价格也不一定最低",
]
LONG_RANT_EN = [
    "honestly everything is getting more expensive and wages aren't keeping up",
    "the lawsuit is about money, not about justice", "people will buy anything if it's marketed well",
    "i don't get why anyone would pay that much for a gadget", "my phone already does all of this for free",
    "the whole thing is a scam and everyone knows it", "prices in the city are crazy compared to my hometown",
    "this product category is full of cheap knockoffs", "companies keep raising prices and calling it innovation",
]

# ---------------------------------------------------------------- more implicit requests (label 1)
REQ_IMPLICIT_ZH = [
    "你哪买的", "你哪买的 我这买不到了", "咋买的啊", "咋买", "在那可买", "哪家买", "怎么买，已关注", "想要链接，搜不到呀",
    "这是哪款啊亲", "问价", "{p}问价", "做一个需要多少钱", "做下来多少钱", "卖卖嘛", "卖我一个吧", "想知道在哪家订的",
    "不知道哪里有卖的", "哪里有卖的", "大概多少钱", "大概什么价", "搜不到啊 叫什么", "淘宝搜不到", "搜了没找到 求店名",
    "想要同款 在哪找", "有没有购买方式", "能不能卖一个", "可以帮我带一个吗", "可以代购吗", "接单吗", "还接单吗",
    "怎么联系你买", "私你了 怎么买", "你家店铺叫什么", "哪个店买的呀", "这家店叫啥", "标签能拍一下吗 想买",
    "求个标签", "品牌是啥", "啥型号", "几号色", "这个颜色叫什么", "想入 请问在哪", "求告知在哪买", "在哪能买到同款",
    "小区附近哪里有卖", "什么地方有卖", "在哪个平台", "官网能买吗", "有官方店吗", "是旗舰店买的吗", "哪家旗舰店",
    "同款在哪", "同款哪里找", "谁知道在哪买", "有人知道哪里买吗", "有人知道牌子吗", "有没有人知道链接", "哪里订",
    "怎么订购", "订购方式", "怎么预定", "可以预定吗", "还能定吗", "现在还能买吗", "下架了吗 哪里还有", "还卖吗",
]
REQ_IMPLICIT_EN = [
    "were can you buy them", "where can you buy them and is it expensive", "love it, where can i get one",
    "is it sold in stores", "where's the shop", "what's the shop called", "who sells these", "can i buy this online",
    "how do i get one", "i want to order one", "is this for sale", "do you sell it", "can you ship it to me",
    "what is it called, i can't find it", "i searched everywhere, where did you find it", "brand name please",
    "what's the model number", "which model is this", "how much did it cost you", "roughly how much is it",
    "is it expensive? where to buy", "where can i get this in {c}", "is it available in {c}",
]
REQ_OTHER_LANG_2 = [
    "donde lo compro", "en donde se puede comprar", "donde lo consigo", "dónde comprar", "cuánto vale",
    "jaka jest cena", "gdzie kupić", "wo gibt es das", "was kostet das", "quanto custa", "onde comprar",
    "combien ça coûte", "où l'acheter", "dove si compra", "quanto costa", "これ欲しい！どこで買えますか", "値段いくら？",
    "どこのブランドですか", "어디서 살 수 있어요", "가격이 얼마예요", "링크 있나요", "di mana belinya", "berapa harganya",
]

# ---------------------------------------------------------------- generic chatter (label 0)
# Most comments are about anything but buying. Subject × predicate combinations teach the model
# that ordinary function words, question marks and length say nothing about a request.
CHAT_EN_SUBJ = ["i", "we", "my brother", "this guy", "the company", "people", "everyone", "my teacher",
                "the lawyer", "you", "they", "the government", "my friend", "the doctor", "the kids", "nobody",
                "the app", "this channel", "my dad", "the judge", "our team", "the host", "her husband"]
CHAT_EN_PRED = ["needs to explain the whole story", "should go to court", "will never learn spanish",
                "used to travel to china every year", "wants to answer the question", "can't stop laughing",
                "doesn't understand the rules", "tried to apply for the program", "is going to stay at home",
                "would rather watch the full episode", "forgot to read the comments", "decided to move abroad",
                "has to talk to the manager", "fixed the car in one day", "won the case", "sleeps too late",
                "is studying for the exam", "cooked dinner for everyone", "visited the market on sunday",
                "called his mom", "checks the news every morning", "finished the project", "recorded the meeting",
                "translated the menu", "is so funny", "made my day", "deserves more views", "is lying again",
                "was right all along", "looks exactly like my cousin", "speaks four languages", "lost the keys",
                "is the best part", "got stuck in traffic", "missed the flight", "hates mondays", "said it better"]
CHAT_EN_OPINION = ["the translation", "the design", "the story", "this market", "the food", "the weather",
                   "the ending", "the speed", "the sound", "the lawsuit", "his argument", "the interview",
                   "the city", "the program", "the second part", "the accent", "the subtitles", "the camera work"]
CHAT_EN_ADJ = ["is impressive", "was terrible", "is so underrated", "feels a bit slow", "is actually accurate",
               "is not clear at all", "could be better", "is hilarious", "made no sense", "is beautiful",
               "is way too long", "is perfect", "was confusing", "is really helpful", "is so relaxing"]
CHAT_EN_END = ["", "", ".", "!", "...", " lol", " 😂", " honestly", " tbh", " right?", "?", " 🙏", " 👍"]
CHAT_ES = ["me gusta mucho el diseño", "no creo que funcione bien", "la traducción es muy buena",
           "sería mejor con más idiomas", "qué video tan bonito", "lo usé en el trabajo y fue útil",
           "no entiendo por qué hacen esto", "mi hermano vive en china", "la comida se ve deliciosa",
           "el sonido no es muy claro", "gracias por el video", "qué ciudad tan linda", "es una buena idea",
           "no sé si vale la pena", "está muy interesante", "necesita mejorar la velocidad", "saludos desde perú"]
CHAT_ZH_SUBJ = ["我", "我们这边", "他", "老师", "医生", "孩子", "现在的年轻人", "这个人", "公司", "领导", "网友",
                "我朋友", "这部剧", "这个车", "楼主", "我妈", "医院", "学校", "这个演员", "我们单位", "隔壁"]
CHAT_ZH_PRED = ["真的太厉害了", "根本不懂", "每天都加班", "说得很对", "演得好假", "拍得好真实", "怎么这么好笑",
                "是不是有问题", "已经放假了", "天天熬夜", "又迟到了", "工资太低了", "想辞职了", "终于考上了",
                "去医院检查了", "在高架上堵了一个小时", "看完哭了", "不敢相信", "一直在下雨", "开得太快了",
                "被骗了", "居然是真的", "好久没见了", "太难了", "也是这样的", "真的会谢", "笑死我了", "说的都是真的",
                "改革了好多次", "越来越卷了", "没有周末", "压力好大", "今天又上热搜了", "这样做不对", "太离谱了"]
CHAT_ZH_END = ["", "", "。", "！", "…", "[笑哭R]", "[doge]", "哈哈哈", "吧", "吗？", "啊", "[捂脸R]", "😂"]
CHAT_JA = ["かわいすぎる", "面白かった", "また見たい", "すごく勉強になりました", "泣いた", "懐かしい", "天才",
           "声が好き", "お疲れ様です", "関西弁いいね", "この街に行ってみたい", "本当に？", "草", "最高すぎる"]
CHAT_KO = ["너무 좋아요", "재밌어요", "응원합니다", "목소리 좋아요", "또 보고 싶어요", "진짜요?", "최고예요"]

# ---------------------------------------------------------------- variants, platforms, ads
VARIANTS = ["男童", "女孩款", "大码", "小码", "儿童款", "男款", "女款", "白色", "黑色", "加厚款", "长款", "情侣款",
            "宝宝的", "成人的", "xl", "160的", "粉色", "短款", "无香型", "mini款", "大容量的", "冬款", "120码"]
PLATFORMS = ["淘宝", "🍑", "桃宝", "tb", "拼多多", "pdd", "拼夕夕", "1688", "京东", "jd", "抖音", "得物", "闲鱼",
             "唯品会", "天猫", "宜家", "山姆", "盒马", "亚马逊", "官网", "某宝", "dy", "vx", "快手"]
REQ_VARIANT_ZH = ["有{v}吗", "有没有{v}的", "他家有{v}的吗", "这个有{v}吗", "{p}有{v}吗", "请问有{v}的吗",
                  "出{v}吗", "有{v}的链接吗", "{v}还有吗", "想要{v}的 有吗", "{v}什么时候有货", "{v}能买到吗"]
REQ_PLATFORM_ZH = ["{pl}还是{pl2}？", "是{pl}吗", "{pl}有吗", "是{pl}买的吗", "{pl}能搜到吗", "是{pl}吗？没搜到",
                   "{pl}叫什么", "{pl}上有吗", "在{pl}哪家", "{pl}店铺名是啥", "{pl}搜什么关键词", "{pl}可以买吗",
                   "只有{pl}有吗", "{pl}有旗舰店吗"]
NEG_PLATFORM_ZH = ["{pl}买的", "我在{pl}买的", "{pl}比{pl2}便宜", "{pl}有活动", "{pl}上都有", "去{pl}搜就有",
                   "{pl}和{pl2}我都买过", "{pl}发货快", "{pl}的质量一般", "{pl}退货方便", "我只在{pl}买东西",
                   "{pl}客服回我了", "{pl}同款贵一倍", "在{pl}看到过", "{pl}搜{p}就有 去看看"]
SELLER_AD_EN = ["get 10% off with code {code}", "use my code {code} for a discount", "link in bio for discounts",
                "shop now, link in bio", "dm to order", "order now before it sells out", "discount code in bio",
                "check my store for more", "free shipping this weekend only", "we ship worldwide, dm us",
                "black friday sale, code {code}", "enter {code} at checkout", "my shop link is in my profile"]
CODES = ["SAVE10", "LILY15", "KOL20", "SPRING", "TECH5", "NEWME"]
NEG_BARE_2 = ["求分享", "求教", "求偶遇", "求更新", "求关注", "求回关", "求带飞", "求解答", "求科普", "求安利文",
              "求原声", "求后续", "求出教程", "求合照", "求签名", "求翻牌", "求互粉", "求赞", "求问这是哪",
              "这都在哪里看呀", "啥名 好看", "好片 叫什么", "哪家公司", "哪家医院好", "哪家强", "买车送美女吗",
              "顺丰哪有这么快", "哪有那么便宜的事", "哪里有人看", "多少钱都不卖", "给多少钱都不换"]

# ---------------------------------------------------------------- can't find the link, deals, options, delivery
REQ_CANT_FIND_ZH = ["为啥我没看到链接", "找不到链接", "链接在哪里", "没看到商品卡", "橱窗里没找到", "链接在哪 没找到",
                    "我怎么找不到", "搜不到同款", "商品卡点不开", "链接点进去没有了", "怎么没有链接了", "店里没找到这款",
                    "你说的那家店找不到", "主页没看到链接", "找了半天没找到 在哪买"]
REQ_DEAL_ZH = ["{price}怎么买到的", "怎么买到{price}的", "你怎么买这么便宜", "为什么我这显示{price}", "在哪领的券",
               "怎么凑单的", "用的什么券", "怎么才能买到这个价", "哪里有这个价", "活动在哪里参加", "还有这个价吗"]
REQ_WHICH_OPTION_ZH = ["你买的是哪个颜色", "拍的哪个选项", "选的哪个规格", "买的哪个尺码", "你拍的哪一款",
                       "链接里选哪个", "是哪个sku", "你选的是第几个", "买的哪个版本", "是哪个颜色的链接"]
NEG_SUITABLE_ZH = ["这款是适合{v}的吗", "{r}{p}适合{v}吗", "{v}能用吗", "{v}穿会不会小", "{r}{p}是给{v}的吗",
                   "什么品牌 避雷一下", "这个牌子避雷", "哪个牌子都别买", "求避雷", "这是哪家 避雷",
                   "选哪个好纠结", "哪个更好", "这两个选哪个", "是你吗", "叫什么来着", "这人叫什么", "是不是他"]
REQ_EN_SHIP = ["do you deliver to {c}", "do you deliver in {c} ?", "deliver to {c}?", "do you ship internationally",
               "can this be shipped to {c}", "is delivery available in {c}", "shipping to {c} possible?"]
NEG_EN_FEATURE_2 = ["is there a voice feature?", "is there a night mode", "does it have a timer", "is there an app for it",
                    "how does it compare to other brands in this price range", "how does it compare to the old one",
                    "is it better than the competition", "does it support more languages", "what languages does it support"]
NEG_ES_FEATURE = ["¿qué idiomas soporta?", "¿funciona sin internet?", "¿cuánto dura la batería?", "¿es resistente al agua?",
                  "¿incluye estuche?", "¿se puede usar en el avión?", "¿tiene garantía?", "¿es fácil de usar?"]

# ---------------------------------------------------------------- douyin words, brands, slang
BRANDS = ["优衣库", "zara", "宜家", "无印良品", "兰蔻", "雅诗兰黛", "戴森", "小米", "苹果", "耐克", "阿迪", "lululemon",
          "迪卡侬", "名创优品", "花西子", "完美日记", "海澜之家", "ugg", "乐高", "膳魔师"]
REQ_DOUYIN_BRAND = ["小黄车在哪", "求上小黄车", "小黄车没有啊", "购物车在哪", "什么时候上购物车", "是{b}的吗",
                    "{b}的哪款", "是{b}家的吗 哪个系列", "{b}有卖吗", "{b}官网有吗", "{b}哪个型号", "是{b}的什么款",
                    "{b}专柜有吗", "{b}线下店能买吗", "求{b}的链接"]
NEG_DOUYIN_BRAND = ["已拍", "拍了", "已拍两件", "冲了", "已冲", "下单了", "蹲到了", "抢到了", "已加购", "已加入购物车",
                    "小黄车已拍", "拍了一件等发货", "{b}的质量一直很好", "我也在{b}买的", "{b}最近打折", "{b}永远的神",
                    "{b}门店人好多", "{b}涨价了", "{b}的客服很好", "不喜欢{b}", "{b}平替", "{b}yyds", "{b}我买了好多年"]
REQ_EN_SLANG = ["w2c", "w2c?", "w2c pls", "wtb", "id on the {p}?", "id?", "sauce?", "name of the perfume?",
                "what's the scent", "fragrance name?", "where's the {p} from", "where's that {p} from?",
                "who makes the {p}", "is the {p} from {b}", "is that {b}?", "which {b} {p} is that"]
NEG_EN_SLANG = ["ordered!", "added to cart", "just copped", "copped it", "cart'd", "bought it already", "in my cart",
                "{b} never misses", "i love {b}", "{b} is overpriced", "my {b} one broke", "{b} quality went down"]

# ---------------------------------------------------------------- renovation, salons, spam
RENO = ["瓷砖", "地板", "橱柜", "开关面板", "智能锁", "马桶", "花洒", "墙漆", "乳胶漆", "壁纸", "岩板", "衣帽间",
        "窗帘轨道", "浴室柜", "餐边柜", "床架", "灯带"]
REQ_RENO_SALON = ["{reno}什么牌子", "{reno}哪家的", "{reno}是哪里定做的", "{reno}多少钱一平", "{reno}色号是多少",
                  "求{reno}品牌", "{reno}型号求分享", "{reno}在哪买的", "头发在哪做的", "哪家店做的美甲",
                  "在哪家拍的写真", "纹身在哪纹的", "是哪家定制的", "装修公司是哪家", "柜子哪里定做的",
                  "在哪家店做的 多少钱", "求理发店地址 想去做同款", "美甲多少钱", "这个发型在哪做的 多少钱"]
NEG_RENO_SALON = ["{reno}铺得好好看", "{reno}颜色选得真好", "我家{reno}也是这个", "{reno}踩坑了", "{reno}太难打理了",
                  "装修好累", "装完后悔了", "{reno}用了三年还很好", "头发好好看", "美甲好精致", "纹身好酷",
                  "好想装修成这样", "装修预算超了", "自己刷的墙吗 好厉害", "{reno}千万别选白色"]
SPAM_EN = ["buy bitcoin now and thank me later", "invest with mr. john, he changed my life", "earn $500 a day from home",
           "click my profile for free gift cards", "i made 10k this month, ask me how", "dm me to learn trading",
           "free followers at my page", "check my channel for giveaways"]

# ---------------------------------------------------------------- tagging friends, instagram, more languages
NEG_TAG_FRIEND = ["@{name} 快看", "@{name} 这个适合你", "@{name} 你要的", "@{name} 给你买一个", "@{name} 我们去这里",
                  "@{name} 像不像你", "@{name} 你家也有", "@{name} 下次一起", "@{name} 看这个", "@{name} 想要吗 我送你",
                  "@{name} we need this", "@{name} look!!", "@{name} this is so you", "@{name} birthday gift idea?",
                  "@{name} @{name} lol", "@{name} remember this?"]
REQ_INSTAGRAM = ["where is this from??", "need!! where", "👀 where", "obsessed, where'd you get it", "online or in store?",
                 "is this online?", "what's the store called", "is it available online", "do you have a website",
                 "can i buy this in store", "store name pls", "ig shop?", "where can i shop this", "shop link?"]
REQ_MORE_LANG = ["beli di mana kak?", "link dong kak", "harganya berapa?", "mua ở đâu vậy", "giá bao nhiêu ạ", "xin link",
                 "ซื้อที่ไหนคะ", "ราคาเท่าไหร่", "c'est quelle marque ?", "tu l'as acheté où ?", "lien svp",
                 "wo hast du das gekauft?", "link bitte", "dove l'hai comprato?", "link per favore", "onde você comprou?"]
NEG_MORE_LANG = ["cantik banget", "keren kak", "mantap", "đẹp quá trời", "hay quá", "น่ารักมาก", "สุดยอด", "trop beau",
                 "j'adore", "sehr schön", "wie süß", "che bello", "adorei", "que lindo", "terima kasih", "cảm ơn bạn",
                 "ขอบคุณค่ะ", "bravo", "magnifique vidéo", "super video"]

# ---------------------------------------------------------------- Spanish with products
ES_PRODUCTS = ["vestido", "bolso", "lámpara", "sofá", "labial", "chaqueta", "zapatos", "alfombra", "traductor",
               "audífonos", "reloj", "taza", "collar", "perfume", "silla", "mochila", "crema", "gafas"]
ES_PREFIX = ["", "", "hola ", "qué lindo! ", "me encanta, ", "amiga ", "wow ", "disculpa, ", "oye "]
ES_SUFFIX = ["", "", "?", " 🙏", " por favor", "!!", " gracias", " 😍"]
REQ_ES = ["¿dónde compro el {ep}?", "¿dónde conseguiste ese {ep}?", "precio del {ep}", "¿cuánto cuesta el {ep}?",
          "¿de qué marca es el {ep}?", "link del {ep} por favor", "¿venden el {ep}?", "¿hacen envíos a {c}?",
          "¿dónde puedo comprar ese {ep}", "en donde venden ese {ep}", "¿cómo lo puedo pedir?", "quiero ese {ep}, ¿dónde?",
          "¿tienen tienda en línea?", "¿lo venden en amazon?", "¿hay en otros colores?", "¿todavía hay disponible?"]
NEG_ES = ["me encanta el {ep}", "ya compré el {ep}", "el {ep} es muy caro", "mi {ep} se rompió", "tengo el mismo {ep}",
          "qué bonito {ep}", "el {ep} no vale la pena", "compré uno igual", "lo compré y me encantó", "el precio es alto",
          "¿qué canción es?", "¿dónde grabaste esto?", "¿cuántos años tienes?", "¿cómo se llama tu perro?",
          "¿funciona sin internet?", "saludos desde {c}", "no lo compren", "gracias por el video"]


# ---------------------------------------------------------------- explicit asks with words in between
# 蹲/求/要/dd + a few words + a link word ("蹲一个沙发链接", "求分享地毯的lj"), a link that should
# "come" (链接来一个), and one comment naming several products it wants ("沙发和灯都要"): under a note
# that sells them, wanting both is an order. Beside them the hard negatives that share the words:
# sellers announcing links, buyers comparing what they paid on the same link, 都要 in chatter.
ASK_VERBS = ["蹲", "蹲一下", "求", "求求", "跪求", "要", "想要", "dd", "滴滴", "蹲蹲", "求个", "求分享", "求发", "要一下",
             "坐等", "等"]
ASK_FILLERS = ["", "", "一个", "个", "一下", "这个", "同款", "好物", "博主的", "图里的", "视频里", "你家的", "这套的",
               "一波", "下", "{r}"]
LINK_WORDS = ["链接", "链接", "链接", "lj", "🔗", "连接", "链结", "链jie", "link", "链接啊", "链接！"]
LINK_COME = ["链接来一个", "{p}链接来一个", "链接走一个", "来个链接", "来个{p}的链接", "链接给一个", "链接安排一下",
             "{p}链接安排", "链接甩一下", "甩个链接", "链接丢一个", "丢个{p}链接", "链接发来", "链接速来"]
WANT_ALL_ZH = ["{p}和{p2}都要", "{p}跟{p2}都要", "{p}和{p2}都想要", "{p}{p2}都要", "{p}、{p2}都要", "{p}还有{p2}我都要",
               "{p}和{p2}都想买", "{p}和{p2}我都要了", "{p}和{p2}都要 怎么买", "{p}和{p2}都要，求链接",
               "{p}和{p2}都要 一起发我", "{p}加{p2}都要", "{p}{p2}都想入", "{p}和{p2}都要两个"]
NEG_LINK_SELLER = ["链接挂好了", "{p}链接挂好了", "链接已上", "{p}链接已上", "链接更新好了", "链接在评论区", "{p}链接在评论区",
                   "链接在置顶", "需要链接的私我", "要链接的扣1", "要{p}链接的私信", "链接已私发", "{p}链接发你了",
                   "链接已经发你了", "链接我放主页了", "链接在橱窗", "都要的宝子直接拍套装", "都要的可以拍两件",
                   "同一个链接，{p}{price}", "同一个链接 {v}也有", "同一个链接，我买的{price}", "我买的也是同一个链接",
                   "同一个链接 我的两天就到了", "和博主同一个链接 质量不错", "我也是这个链接买的", "这个链接我买过 不错",
                   "链接拿到了 谢谢", "找到链接了", "链接收到了", "终于蹲到链接了 已下单", "蹲到链接了谢谢博主"]
NEG_ALL_CHAT_ZH = ["都要疯了", "我都要哭了", "笑得我都要喘不过气", "都要被种草了", "每天都要用", "我们都要加油",
                   "都要开心呀", "什么都要管", "{p}和{p2}都好看", "{p}和{p2}都买了", "{p}和{p2}都有了", "{p}和{p2}我都有",
                   "{p}和{p2}都踩雷了", "{p}和{p2}都不喜欢", "两个都好看 选不出来", "都要买不起了", "天天都要加班",
                   "{p}和{p2}都在用", "钱都要花光了", "都要过年了", "都要", "都要！", "我都要",
                   # 坐等/等 ask for a link only when a link word follows
                   "坐等更新", "坐等后续", "坐等下一期", "等更新", "坐等翻牌", "坐等开奖", "等你回来", "坐等{p}测评",
                   "坐等博主回复", "等下班", "坐等周末", "等快递"]
NON_PRODUCT_LINKS = ["报名表", "报名", "问卷", "原视频", "网盘", "资料", "会议", "直播回放", "原图", "壁纸", "课件", "表格",
                     "投票", "作业", "群", "原文", "教程视频", "歌单", "bgm", "打卡小程序", "预约挂号", "抽奖"]
NEG_NONPRODUCT_LINK = ["{ask}{link}的链接", "{ask}{link}链接", "{ask}一下{link}的链接", "有没有{link}的链接", "{link}链接呢",
                       "{link}的链接发一下", "{ask}个{link}的lj", "{link}链接在哪"]
NEG_GOT_LINK_EN = ["i got the link from her", "got the link, thanks", "found the link", "thanks for the link",
                   "i used the same link", "bought from the same link", "the link worked, ordered", "link is in her bio",
                   "link in bio", "the link is pinned"]
REQ_NEED_LINK_EN = ["need the link", "need the link for {a} {p}", "i need the link to {a} {p}", "where to get {a} {p}",
                    "where to get this", "where do i get {a} {p}", "drop the link for {a} {p}", "link for {a} {p} please",
                    "can i have the link", "send the link", "want {a} {p} and {a} {p}, links?", "i want both, links?"]
