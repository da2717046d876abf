"""The product catalog: list, add, edit, delete, import a CSV.

A product belongs to one creator account (`account`: the note author id its comments are captured
for) or is shared by all (`account` null, the default; CSV imports are shared). `GET ?account=X`
lists what X's comments are attributed with: X's products and the shared ones.
"""

from flask import Blueprint, abort, request

from helper.api import json_body
from helper.csvio import CSVFormatError
from helper.products_io import ProductError, clean_product, import_products
from helper.security import error
from helper.store import Product

bp = Blueprint("products", __name__)
MAX_IMPORT_CHARS = 2_000_000


@bp.get("/api/products")
def list_products():
    account = request.args.get("account") or None
    query = Product.of_account(account) if account else Product.select().order_by(Product.name)
    items = [p.to_dict() for p in query]
    return {"items": items, "total": len(items)}


def product_account(body: dict, fields: dict) -> None:
    """`account` from the body into `fields` when given: an account id, or null / "" for shared."""
    if "account" not in body:
        return
    value = body["account"]
    if value is not None and (not isinstance(value, str) or len(value) > 200):
        raise ProductError("account must be an account id (a string) or null for a shared product")
    fields["account"] = value.strip() or None if isinstance(value, str) else None


@bp.post("/api/products")
def add_product():
    body = json_body()
    try:
        fields = clean_product(body)
        product_account(body, fields)
    except ProductError as exc:
        return error(400, str(exc))
    if Product.get_or_none(Product.name == fields["name"]):
        return error(409, f"a product named {fields['name']!r} exists; PUT /api/products/<id> to change it")
    return Product.create(**fields).to_dict(), 201


@bp.put("/api/products/<int:product_id>")
def update_product(product_id: int):
    product = Product.get_or_none(Product.id == product_id) or abort(404, description="no such product")
    body = json_body()
    try:
        fields = clean_product(body, partial=True)
        product_account(body, fields)
    except ProductError as exc:
        return error(400, str(exc))
    other = Product.get_or_none(Product.name == fields.get("name"))
    if other is not None and other.id != product.id:
        return error(409, f"another product is named {fields['name']!r}")
    for key, value in fields.items():
        setattr(product, key, value)
    product.save()
    return product.to_dict()


@bp.delete("/api/products/<int:product_id>")
def delete_product(product_id: int):
    deleted = Product.delete().where(Product.id == product_id).execute()
    if not deleted:
        abort(404, description="no such product")
    return {"deleted": product_id}


@bp.post("/api/products/import")
def import_catalog():
    text = json_body().get("csv")
    if not isinstance(text, str):
        return error(400, "csv must be the catalog file's text")
    if len(text) > MAX_IMPORT_CHARS:
        return error(413, "the catalog is too large")
    try:
        return import_products(text)
    except CSVFormatError as exc:
        return error(400, f"cannot read the catalog: {exc}")
