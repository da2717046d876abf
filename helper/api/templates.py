"""Reply templates outside the editor: which products would produce a reply that breaks the
platform's rules (a ⚠ in the products table), and bringing pending suggested replies up to date
after a product's template or link changed.

GET  /api/products/compliance  {"items": [{"id", "name", "reply", "compliance": [..]}]}
POST /api/replies/refresh      {"product": name, "previous": {name, link, aliases, reply}}
                               -> {"refreshed", "kept"}

A suggested reply is refreshed only if it is still exactly what the previous template produced for
that comment: a reply the creator edited by hand is hers and is kept (and counted in "kept").
"""

from __future__ import annotations

from flask import Blueprint, abort

from helper.api import json_body
from helper.store import Comment, Product

bp = Blueprint("templates", __name__)

SAMPLE_NICKNAME = "小鹿"


def _nlp_product(data: dict):
    from helper.nlp.products import CatalogError
    from helper.nlp.products import CatalogProduct

    try:
        return CatalogProduct.from_dict(data)
    except CatalogError as exc:
        abort(400, description=str(exc))


def _reply_for(product, comment_id, nickname, text, platform):
    from helper.nlp.products import Attribution
    from helper.nlp.replies import suggest_reply

    return suggest_reply(
        comment_id=comment_id,
        nickname=nickname,
        text=text,
        attribution=Attribution(named=[product], candidates=[product]),
        platform=platform,
    )


@bp.get("/api/products/compliance")
def products_compliance():
    items = []
    for stored in Product.select().order_by(Product.name):
        product = _nlp_product(stored.for_analyzer())
        suggestion = _reply_for(product, "sample", SAMPLE_NICKNAME, "", "xhs")
        items.append({"id": stored.id, "name": stored.name, "reply": suggestion.text, "compliance": suggestion.compliance})
    return {"items": items, "total": len(items)}


@bp.post("/api/replies/refresh")
def refresh_replies():
    body = json_body()
    name = body.get("product")
    previous = body.get("previous")
    if not isinstance(name, str) or not name.strip():
        abort(400, description="product must be a product name")
    if not isinstance(previous, dict):
        abort(400, description="previous must be the product as it was before the change ({name, link, aliases, reply})")
    stored = Product.get_or_none(Product.name == name.strip()) or abort(404, description=f"no product named {name!r}")
    current = _nlp_product(stored.for_analyzer())
    before = _nlp_product({**previous, "name": previous.get("name") or stored.name})
    pending = Comment.requests({"status": "new", "product": stored.name}).where(Comment.correction.is_null())
    refreshed = kept = 0
    db = Comment._meta.database
    with db.atomic():
        for comment in pending:
            if (comment.products or []) != [stored.name]:
                continue  # a reply for several products is not this template's
            nickname = comment.author.strip() if comment.author and comment.author.strip() else None
            old = _reply_for(before, comment.comment_id, nickname, comment.text, comment.platform)
            if comment.suggested_reply != old.text:
                kept += 1
                continue
            new = _reply_for(current, comment.comment_id, nickname, comment.text, comment.platform)
            if new.text != comment.suggested_reply or new.compliance != (comment.compliance or []):
                comment.suggested_reply = new.text
                comment.compliance = new.compliance
                comment.save(only=[Comment.suggested_reply, Comment.compliance])
                refreshed += 1
    return {"refreshed": refreshed, "kept": kept}
