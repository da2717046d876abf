"""The reply-template preview for the dashboard's product form and reply editor.

POST /api/replies/preview  {template, product, nickname, platform, text} -> {text, compliance}

`product` is a catalog product's name, or an unsaved {name, link, ...} from the form; the reply is
rendered as `helper.nlp.replies` would suggest it for a comment, with the platform's compliance
warnings (an off-platform link on Xiaohongshu, ...).
"""

from __future__ import annotations

from flask import Blueprint, abort

from helper.api import json_body
from helper.store import Product
from helper.vocab import PLATFORMS

bp = Blueprint("replies", __name__)

FIELDS = {"template", "product", "nickname", "platform", "text"}


def preview_product(value) -> "object | None":
    """The product to preview with: a catalog name, or an unsaved {name, link, ...} from the form."""
    from helper.nlp.products import CatalogError
    from helper.nlp.products import CatalogProduct

    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        stored = Product.get_or_none(Product.name == value)
        if stored is None:
            abort(404, description=f"no product named {value!r}")
        return CatalogProduct.from_dict(stored.for_analyzer())
    if isinstance(value, dict):
        try:
            return CatalogProduct.from_dict(value) if str(value.get("name") or "").strip() else None
        except CatalogError as exc:
            abort(400, description=str(exc))
    abort(400, description="product must be a product name or an object with name and link")


@bp.post("/api/replies/preview")
def reply_preview():
    from dataclasses import replace

    from helper.nlp.products import Attribution
    from helper.nlp.replies import suggest_reply

    body = json_body()
    unknown = set(body) - FIELDS
    if unknown:
        abort(400, description=f"unknown fields: {', '.join(sorted(unknown))}")
    for key in ("template", "nickname", "platform", "text"):
        if body.get(key) is not None and not isinstance(body[key], str):
            abort(400, description=f"{key} must be a string")
    platform = body.get("platform") or "xhs"
    if platform not in PLATFORMS:
        abort(400, description=f"platform must be one of {', '.join(PLATFORMS)}")
    product = preview_product(body.get("product"))
    template = (body.get("template") or "").strip()
    if product is not None:
        product = replace(product, reply=template or None)
    attribution = Attribution(named=[product] if product else [], candidates=[product] if product else [])
    suggestion = suggest_reply(
        comment_id="preview",
        nickname=body.get("nickname") or None,
        text=body.get("text") or "",
        attribution=attribution,
        platform=platform,
    )
    return {"text": suggestion.text, "compliance": suggestion.compliance}
