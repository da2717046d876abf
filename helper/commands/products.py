"""`linktriage products import FILE.csv` / `linktriage products list`: the creator's catalog."""

from __future__ import annotations

import json
import sys


def register(subparsers, common):
    p = subparsers.add_parser(
        "products",
        parents=[common],
        help="import or list the product catalog",
        description="Manage the product catalog the suggested replies point to.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    imp = actions.add_parser(
        "import",
        parents=[common],
        help="import a catalog CSV (re-import updates by name)",
        description="CSV columns: name, link, optional aliases (|-separated), note_ids (|-separated), "
        "reply (a custom reply template). A product with the same name is updated.",
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.set_defaults(func=run_import)
    ls = actions.add_parser("list", parents=[common], help="print the catalog", description="Print the catalog.")
    ls.add_argument("--json", action="store_true", help="as JSON lines")
    ls.set_defaults(func=run_list)
    p.set_defaults(func=run_list)


def run_import(args) -> int:
    from pathlib import Path

    from helper.csvio import CSVFormatError, read_text_file
    from helper.errors import UserError
    from helper.products_io import import_products
    from helper.store import open_for_cli

    path = Path(args.file)
    try:
        text = read_text_file(path)
    except CSVFormatError as exc:
        raise UserError(f"{path}: {exc}") from None
    db = open_for_cli(args.data_dir, args.database)
    with db:
        try:
            result = import_products(text)
        except CSVFormatError as exc:
            raise UserError(f"{path}: {exc}") from None
    for problem in result["skipped"]:
        print(f"{path}:{problem['line']}: skipped: {problem['reason']}", file=sys.stderr)
    print(f"{result['created']} product(s) added, {result['updated']} updated, {len(result['skipped'])} skipped")
    return 0


def run_list(args) -> int:
    from helper.store import Product, open_for_cli

    db = open_for_cli(args.data_dir, args.database)
    with db:
        products = [p.to_dict() for p in Product.select().order_by(Product.name)]
    for p in products:
        if getattr(args, "json", False):
            print(json.dumps(p, ensure_ascii=False))
        else:
            extra = f"  aliases: {', '.join(p['aliases'])}" if p["aliases"] else ""
            print(f"{p['name']}\t{p['link']}{extra}")
    if not products and not getattr(args, "json", False):
        print("no products yet: linktriage products import FILE.csv", file=sys.stderr)
    return 0
