"""CatalogProduct attribution: which catalog product a request names (table-driven)."""

import pytest

from helper.nlp.products import Catalog, CatalogError, CatalogProduct, catalog_for, load_catalog_csv

CATALOG = [
    {"name": "羊毛地毯", "aliases": ["地毯", "rug"], "link": "https://item.taobao.com/item.htm?id=1", "note_ids": ["n1"]},
    {"name": "落地灯", "aliases": ["灯", "floor lamp", "lamp"], "link": "", "note_ids": ["n1"]},
    {"name": "布艺沙发", "aliases": ["沙发", "sofa"], "link": "", "note_ids": ["n1"]},
    {"name": "灯芯绒沙发套", "aliases": ["灯芯绒", "沙发套"], "link": "", "note_ids": ["n2"]},
    {"name": "Linen Shirt", "aliases": ["亚麻衬衫", "衬衫"], "link": "", "note_ids": ["n3"]},
    {"name": "香薰蜡烛", "aliases": ["蜡烛", "candle"], "link": "", "note_ids": []},  # every note
]


@pytest.mark.parametrize(
    "text, note_id, expected",
    [
        ("地毯哪里买", "n1", ["羊毛地毯"]),  # alias
        ("羊毛地毯求链接", "n1", ["羊毛地毯"]),  # full name
        ("沙发和灯都要", "n1", ["布艺沙发", "落地灯"]),  # several, in order of mention
        ("灯和沙发都要", "n1", ["落地灯", "布艺沙发"]),
        ("图3的灯", "n1", ["落地灯"]),
        ("燈在哪裡買", "n1", ["落地灯"]),  # 繁體 text, simplified alias
        ("沙發多少錢", "n1", ["布艺沙发"]),
        ("ＬＡＭＰ link?", "n1", ["落地灯"]),  # full-width, upper case
        ("where are the lamps from", "n1", ["落地灯"]),  # English plural
        ("Where is the FLOOR LAMP from?", "n1", ["落地灯"]),
        ("clamp link", "n1", []),  # whole English words only
        ("好看求链接", "n1", []),  # names nothing
        ("灯芯绒沙发套求链接", "n1", ["灯芯绒沙发套"]),  # longest match beats 灯 and 沙发
        ("灯芯绒的有吗", "n1", ["灯芯绒沙发套"]),  # longer alias of another note's product wins
        ("linen shirt哪里买", "n3", ["Linen Shirt"]),
        ("蜡烛链接", "n2", ["香薰蜡烛"]),  # a product on no note is a candidate everywhere
        ("地毯的链接", "n2", ["羊毛地毯"]),  # named, though it belongs to another note
    ],
)
def test_named_products(text, note_id, expected):
    found = catalog_for(CATALOG).attribute(text, note_id)
    assert [p.name for p in found.named] == expected


@pytest.mark.parametrize(
    "note_id, expected_candidates, implied",
    [
        ("n1", ["羊毛地毯", "落地灯", "布艺沙发", "香薰蜡烛"], False),
        ("n2", ["灯芯绒沙发套", "香薰蜡烛"], False),
        ("unknown-note", ["香薰蜡烛"], True),  # only the every-note product: that is what they mean
        (None, [p["name"] for p in CATALOG], False),  # no note: the whole catalog
    ],
)
def test_candidates_and_implied(note_id, expected_candidates, implied):
    found = catalog_for(CATALOG).attribute("求链接", note_id)
    assert [p.name for p in found.candidates] == expected_candidates
    assert found.implied is implied
    assert [p.name for p in found.products] == (expected_candidates[:1] if implied else [])


def test_note_product_preferred_on_the_same_alias():
    catalog = Catalog([
        {"name": "台灯A", "aliases": ["台灯"], "note_ids": ["a"]},
        {"name": "台灯B", "aliases": ["台灯"], "note_ids": ["b"]},
    ])
    assert [p.name for p in catalog.named("台灯链接", "b")] == ["台灯B"]
    assert [p.name for p in catalog.named("台灯链接", "a")] == ["台灯A"]
    # Same alias on two products of the same note: both, the reply then lists them.
    assert {p.name for p in catalog.named("台灯链接", None)} == {"台灯A", "台灯B"}


def test_traditional_alias_matches_simplified_text():
    catalog = Catalog([{"name": "檯燈", "aliases": ["燈"]}])
    assert [p.name for p in catalog.named("这个灯哪里买")] == ["檯燈"]


def test_catalog_is_cached_by_content():
    first = catalog_for(CATALOG)
    assert catalog_for([dict(p) for p in CATALOG]) is first
    changed = [dict(p) for p in CATALOG]
    changed[0] = {**changed[0], "aliases": ["毯子"]}
    assert catalog_for(changed) is not first


def test_empty_catalog_names_nothing():
    found = catalog_for([]).attribute("地毯哪里买", "n1")
    assert found.named == [] and found.candidates == [] and not found.implied


def test_product_needs_a_name():
    with pytest.raises(CatalogError):
        CatalogProduct.from_dict({"name": "  ", "aliases": "x"})


def test_aliases_as_pipe_string():
    product = CatalogProduct.from_dict({"name": "地毯", "aliases": "rug| 毯子 ||", "note_ids": "n1|n2"})
    assert product.aliases == ("rug", "毯子") and product.note_ids == ("n1", "n2")


def test_load_catalog_csv(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "\ufeffName,link,aliases,note_ids,reply\n"
        '羊毛地毯,https://www.xiaohongshu.com/goods-detail/1,地毯|rug,n1|n2,"@{nickname} 在商品卡, 谢谢"\n'
        "\n"
        "落地灯,,灯,,\n",
        encoding="utf-8",
    )
    products = load_catalog_csv(path)
    assert [p.name for p in products] == ["羊毛地毯", "落地灯"]
    assert products[0].aliases == ("地毯", "rug") and products[0].note_ids == ("n1", "n2")
    assert products[0].reply == "@{nickname} 在商品卡, 谢谢" and products[1].reply is None


@pytest.mark.parametrize(
    "content, message",
    [
        (b"title,link\nx,y\n", "name"),
        (b"name,link\n,https://a\n", "line 2"),
        (b"name\n\xff\xfe\n", "UTF-8"),
        (b"name,link\na,b\na,c\n", "twice"),
        (b"name,link\na,b,c,d\n", "line 2"),
        (b"", "empty"),
        # the same field rules as `linktriage products import` (helper.products_io.clean_product)
        (("name,aliases\na," + "x" * 2001 + "\n").encode(), "line 2: aliases is longer than 2000"),
    ],
)
def test_bad_catalog_csv(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CatalogError, match=message):
        load_catalog_csv(path)


def test_missing_catalog_file(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog_csv(tmp_path / "nope.csv")
