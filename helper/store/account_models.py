"""Per-account models in a team database (issue 14): what one helper trained, every helper uses.

A helper that retrains an account's model publishes it here: one row per trained (or rolled-back-to)
model, keyed by account, with the artefact the scorer loads (helper/account_models.py packs it: the
bag-of-n-grams weights, the rule layer, the pipeline meta; about 1.8 MB gzipped). The newest row of an
account is the model every helper serves for it; helpers poll `newest()` (no artefact bytes, one short
query) on their retrainer's tick and pull a row whose model_id differs from theirs. A row without an
artefact says "this account uses the shared model" (a rollback from its first model, or no corrections
left). Older rows are pruned to the last KEEP per account (a rollback needs the one before).

`retrain_lock(db, account)`: PostgreSQL's session advisory lock keyed by a stable 64-bit hash of the
account, so one helper at a time retrains an account; the others skip and pull its result.

The table is not in `MODELS`: `linktriage db migrate-to` does not copy it (models are derived from the
corrections, which it copies; the target's helpers retrain), except with `--account`, which brings that
account's kept rows along when the target has none for it (helper/store/transfer.py). On SQLite it exists
(schema 11) but a helper does not read it: a lone creator's models live in her data dir.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

import peewee as pw

from helper.store.models import BaseModel, CharField, is_postgres, utcnow

KEEP = 3  # rows kept per account: the model in use, the one a rollback goes back to, and one more


class AccountModel(BaseModel):
    account = CharField(index=True)
    model_id = CharField()  # unique per training: "<model_version>@<when>-<random>"
    model_version = CharField(null=True)  # what the model writes into Comment.model_version
    base_version = CharField(null=True)  # the base model it was fine-tuned from
    corrections = pw.IntegerField(default=0)
    corrections_digest = CharField(null=True)  # of the corrections it learned (helper.nlp.learning)
    hold_digest = CharField(null=True)  # set by a rollback: no retrain until the corrections differ
    created = pw.DateTimeField(default=utcnow)
    trained_by = CharField(null=True)  # the operator whose helper trained (or rolled back) it
    artefact = pw.BlobField(null=True)  # None: the account uses the shared model

    class Meta:
        table_name = "account_model"

    FIELDS = ("id", "account", "model_id", "model_version", "base_version", "corrections",
              "corrections_digest", "hold_digest", "created", "trained_by")

    @classmethod
    def newest(cls, db, account: str | None = None) -> dict[str, dict]:
        """{account: the newest row's fields (no artefact)}, for every account or the one given."""
        _bind(db)
        latest = cls.select(pw.fn.MAX(cls.id)).group_by(cls.account)
        if account is not None:
            latest = latest.where(cls.account == account)
        columns = [getattr(cls, name) for name in cls.FIELDS] + [cls.artefact.is_null(False).alias("has_artefact")]
        rows = cls.select(*columns).where(cls.id.in_(latest)).dicts()
        return {row["account"]: row for row in rows}

    @classmethod
    def artefact_of(cls, db, row_id: int) -> bytes | None:
        _bind(db)
        row = cls.select(cls.artefact).where(cls.id == row_id).tuples().first()
        return None if row is None or row[0] is None else bytes(row[0])

    @classmethod
    def history(cls, db, account: str) -> list[dict]:
        """The kept rows of an account, newest first (no artefact)."""
        _bind(db)
        columns = [getattr(cls, name) for name in cls.FIELDS]
        return list(cls.select(*columns).where(cls.account == account).order_by(cls.id.desc()).dicts())

    @classmethod
    def publish(cls, db, account: str, *, model_id: str, artefact: bytes | None, model_version: str | None = None,
                base_version: str | None = None, corrections: int = 0, corrections_digest: str | None = None,
                hold_digest: str | None = None, trained_by: str | None = None) -> dict:
        """Add the account's newest model (every helper switches to it) and prune the old ones."""
        _bind(db)
        with db.atomic():
            row_id = cls.insert(account=account, model_id=model_id, model_version=model_version,
                                base_version=base_version, corrections=corrections,
                                corrections_digest=corrections_digest, hold_digest=hold_digest,
                                trained_by=trained_by, created=utcnow(), artefact=artefact).execute()
            keep = cls.select(cls.id).where(cls.account == account).order_by(cls.id.desc()).limit(KEEP)
            cls.delete().where((cls.account == account) & cls.id.not_in([r.id for r in keep])).execute()
        return cls.newest(db, account)[account] if row_id else {}


def _bind(db) -> None:
    if AccountModel._meta.database is not db:
        AccountModel.bind(db, bind_refs=False, bind_backrefs=False)


def create_table(db) -> None:
    """Schema 11 (helper/store/migrations.py)."""
    _bind(db)
    db.create_tables([AccountModel], safe=True)


def lock_key(account: str) -> int:
    """A stable signed 64-bit key for the account (what pg_try_advisory_lock takes)."""
    digest = hashlib.sha256(f"linktriage-retrain:{account}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def retrain_lock(db, account: str):
    """Yields True when this session holds the account's retrain lock (released at the end, also on an
    error), False when another helper holds it. Use inside `db.connection_context()`: the lock belongs
    to that connection's session. SQLite: always True (the retrainer's in-process lock is enough)."""
    if not is_postgres(db):
        yield True
        return
    key = lock_key(account)
    got = bool(db.execute_sql("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0])
    try:
        yield got
    finally:
        if got:
            try:
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (key,))
            except (pw.OperationalError, pw.InterfaceError):
                pass  # the session is gone: the server released its locks with it
