"""The creator's product catalog as CSV: name, link, aliases (|-separated), note_ids (|-separated), reply.

Shared by `linktriage products import` and `POST /api/products/import`. Re-import updates by name.
"""

from __future__ import annotations

from helper.csvio import read_csv
from helper.store import Product
from helper.validation import normalise_text

MAX_FIELD = 2000


class ProductError(ValueError):
    pass


def split_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = value.split("|")
    else:
        raise ProductError("must be a list of strings or a |-separated string")
    out = []
    for item in items:
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            raise ProductError("must be a list of strings")
        text = normalise_text(str(item)[: 4 * MAX_FIELD]).strip()
        if text and text not in out:
            out.append(text)
    return out


def clean_product(raw: dict, partial: bool = False) -> dict:
    """Validate product fields (API body or CSV row) -> model fields. Unknown keys are ignored."""
    if not isinstance(raw, dict):
        raise ProductError("a product must be an object")
    fields = {}
    if "name" in raw or not partial:
        name = raw.get("name")
        if not isinstance(name, str) or not normalise_text(name[: 4 * MAX_FIELD]).strip():
            raise ProductError("name is missing")
        fields["name"] = normalise_text(name[: 4 * MAX_FIELD]).strip()
    for key in ("link", "reply"):
        if key in raw:
            value = raw[key]
            if value is not None and not isinstance(value, str):
                raise ProductError(f"{key} must be a string")
            fields[key] = normalise_text((value or "")[: 4 * MAX_FIELD]).strip()
    for key in ("aliases", "note_ids"):
        if key in raw:
            try:
                fields[key] = split_list(raw[key])
            except ProductError as exc:
                raise ProductError(f"{key} {exc}") from None
    for key, value in fields.items():
        if len(str(value)) > MAX_FIELD:
            raise ProductError(f"{key} is longer than {MAX_FIELD} characters")
    if "reply" in fields and not fields["reply"]:
        fields["reply"] = None
    if not partial:
        fields.setdefault("link", "")
    return fields


def import_products(text: str) -> dict:
    """Import a catalog CSV; returns {"created", "updated", "skipped": [{"line", "reason"}]}.

    Raises csvio.CSVFormatError when the file as a whole is unreadable (nothing is imported then).
    """
    _, rows = read_csv(text, required=["name"])
    created = updated = 0
    skipped = []
    db = Product._meta.database
    with db.atomic():
        for line, row in rows:
            if "__error__" in row:
                skipped.append({"line": line, "reason": row["__error__"]})
                continue
            fields = {k: v for k, v in row.items() if k in ("name", "link", "aliases", "note_ids", "reply")}
            try:
                _, was_created = Product.upsert(clean_product(fields))
            except ProductError as exc:
                skipped.append({"line": line, "reason": str(exc)})
                continue
            created += was_created
            updated += not was_created
    return {"created": created, "updated": updated, "skipped": skipped}
