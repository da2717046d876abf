"""Retraining by itself: the creator's corrections reach the model while they work, no CLI step.

One `Retrainer` per helper (created with the app, see helper/api/model.py). Every correction (a PATCH
with `correction`, a teach-queue answer) calls `notify()`. A worker thread retrains when

- `after` corrections arrived since the last retrain started (default 10), or
- at least one did and none came for `idle_seconds` (default 15 s: the last answers of a teach
  session are in the model within ~30 s),

never two at once and never in a request's thread. A retrain is helper/nlp/learning.py's fast
fine-tune of the *base* model on *all* corrections (seconds), written to DATA_DIR/pipeline; the
pipeline it replaces is kept as DATA_DIR/pipeline.previous, which `rollback()` swaps back (and a second
rollback swaps forward again). Without an own pipeline the helper uses the base model.

After a swap, the stored verdicts are recomputed with the new model, except comments the creator set by
hand: a correction, or a status other than "new" (replied/ignored). Only the model's verdict (is_request,
score, model_version) changes; a reply suggestion is filled in only where there was none.

The worker also compares, every `check_seconds`, the corrections in the database with the ones the
model in use learned (a digest in its meta): corrections imported with `linktriage corrections import`,
an undo, or a new base model after an upgrade (the model's base differs from the committed one) then
retrain too — unless the creator rolled back, which holds the model until the corrections change.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from helper.nlp import learning

log = logging.getLogger("linktriage.retraining")

RETRAIN_AFTER = 10
IDLE_SECONDS = 15.0
CHECK_SECONDS = 30.0
RETRY_SECONDS = 120.0
RECOMPUTE_PAGE = 500
STATE_FILE = "state.json"


def _env_number(name: str, default, kind=float):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return kind(value)
    except ValueError:
        log.warning("linktriage: ignoring %s=%r (not a number)", name, value)
        return default


def settings_from_env() -> dict:
    """Knobs for scripts and tests: LINKTRIAGE_RETRAIN_AFTER, LINKTRIAGE_RETRAIN_IDLE (seconds),
    LINKTRIAGE_LEARN_STEPS, LINKTRIAGE_RETRAIN_CHECK (seconds)."""
    return {
        "after": max(1, _env_number("LINKTRIAGE_RETRAIN_AFTER", RETRAIN_AFTER, int)),
        "idle_seconds": max(0.0, _env_number("LINKTRIAGE_RETRAIN_IDLE", IDLE_SECONDS)),
        "steps": max(0, _env_number("LINKTRIAGE_LEARN_STEPS", learning.STEPS, int)),
        "check_seconds": max(1.0, _env_number("LINKTRIAGE_RETRAIN_CHECK", CHECK_SECONDS)),
    }


def _utc_now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# -- the corrections, as the model learns them ----------------------------------------------------
def stored_corrections() -> list[learning.Correction]:
    """Every correction in the bound database, oldest first, with the title of the note it is under."""
    import peewee as pw

    from helper.store import Comment, Note

    query = (
        Comment.select(Comment.text, Comment.correction, Note.title)
        .join(Note, join_type=pw.JOIN.LEFT_OUTER,
              on=(Note.platform == Comment.platform) & (Note.note_id == Comment.note_id))
        .where(Comment.correction.is_null(False))
        .order_by(Comment.id)
        .tuples()
    )
    return [learning.Correction(text, correction == "missed", title or "") for text, correction, title in query if text]


def model_info(model_dir: Path | None) -> dict | None:
    """What the dashboard says about a pipeline: version, when, from how many corrections, its kind."""
    if model_dir is None:
        return None
    meta = learning.read_meta(model_dir)
    if not meta:
        return None
    own = meta.get("linktriage") or {}
    kind = "learned" if own.get("learned") else ("trained" if own.get("corrections") else "base")
    return {
        "version": own.get("model_version") or f"{meta.get('name', 'pipeline')}-{meta.get('version', '0')}",
        "trained_at": own.get("trained_at"),
        "corrections": int(own.get("corrections") or 0),
        "base_version": own.get("base_model_version"),
        "kind": kind,
    }


class Retrainer:
    def __init__(self, data_dir: Path, db, analyzer=None, *, auto: bool = True, after: int = RETRAIN_AFTER,
                 idle_seconds: float = IDLE_SECONDS, steps: int = learning.STEPS,
                 check_seconds: float = CHECK_SECONDS):
        self.data_dir = Path(data_dir)
        self.db = db
        self._analyzer = analyzer
        self.auto = auto
        self.after = after
        self.idle_seconds = idle_seconds
        self.steps = steps
        self.check_seconds = check_seconds
        self._cond = threading.Condition()
        self._busy = threading.Lock()  # held for a retrain, a rollback or a recompute: one at a time
        self._pending = 0
        self._last_event: float | None = None
        self._force = False
        self._recompute_requested = False
        self._state = "idle"
        self._learning_from = 0
        self._error: str | None = None
        self._last_run: dict | None = None
        self._runs = 0  # retrains finished since the helper started
        self._next_check = 0.0
        self._retry_at = 0.0  # after a failed retrain: not before this (monotonic)
        self._thread: threading.Thread | None = None
        self._stopped = False

    # -- places ------------------------------------------------------------------------------
    @property
    def own_dir(self) -> Path:
        return self.data_dir / "pipeline"

    @property
    def previous_dir(self) -> Path:
        return self.data_dir / "pipeline.previous"

    @property
    def work_dir(self) -> Path:
        return self.data_dir / "learning"

    @property
    def analyzer(self):
        if self._analyzer is None:
            from helper.nlp import get_analyzer

            self._analyzer = get_analyzer()
        return self._analyzer

    def model_in_use_dir(self) -> Path:
        """The creator's pipeline when there is one, else the base (as helper.config resolves it)."""
        from helper.config import resolve_model_dir

        return resolve_model_dir(self.data_dir)

    # -- events ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker (idempotent). It also checks at once whether the model is behind the
        corrections or the base (after a restart, an import, an upgrade)."""
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                self._stopped = False
                self._thread = threading.Thread(target=self._work, name="linktriage-retrain", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def notify(self, count: int = 1) -> None:
        """A correction was set, changed or removed."""
        with self._cond:
            self._pending += count
            self._last_event = time.monotonic()
            self._clear_hold()
            self._cond.notify_all()
        if self.auto:
            self.start()

    def retrain_now(self) -> None:
        """Retrain at the next opportunity, whatever the counters say (the dashboard's button)."""
        with self._cond:
            self._force, self._retry_at = True, 0.0
            self._clear_hold()
            self._cond.notify_all()
        self.start()

    # -- status ------------------------------------------------------------------------------
    def status(self) -> dict:
        with self._cond:
            pending, state, error = self._pending, self._state, self._error
            last_run, learning_from = self._last_run, self._learning_from
            if state == "idle" and (pending or self._force):
                state = "waiting"
            next_in = None
            if state == "waiting" and self._last_event is not None and pending < self.after and not self._force:
                next_in = max(0.0, round(self._last_event + self.idle_seconds - time.monotonic(), 1))
        own = model_info(self.own_dir) if (self.own_dir / "meta.json").is_file() else None
        if self.previous_dir.is_dir():
            previous = model_info(self.previous_dir)
        elif own is not None:
            previous = model_info(self.model_base_dir())  # going back from the first own model = the base
        else:
            previous = None
        return {
            "state": state,
            "auto": self.auto,
            "pending": pending,
            "learning_from": learning_from if state == "learning" else None,
            "next_in_s": next_in,
            "retrain_after": self.after,
            "idle_seconds": self.idle_seconds,
            "model": model_info(self.model_in_use_dir()),
            "own_model": own is not None,
            "previous": previous,
            "can_rollback": previous is not None and state != "learning",
            "held": self._hold() is not None,
            "last_run": last_run,
            "runs": self._runs,
            "error": error,
        }

    def model_base_dir(self) -> Path:
        return learning.base_model_dir()

    # -- the worker --------------------------------------------------------------------------
    def _due(self, now: float) -> tuple[bool, float | None]:
        """(retrain now?, seconds to wait otherwise; None: until notified)."""
        if self._force:
            return True, None
        if now < self._retry_at:
            return False, self._retry_at - now
        if not self._pending:
            return False, None
        if self._pending >= self.after:
            return True, None
        waited = now - (self._last_event or now)
        if waited >= self.idle_seconds:
            return True, None
        return False, self.idle_seconds - waited

    def _work(self) -> None:
        _lower_priority()
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    now = time.monotonic()
                    if now >= self._next_check:
                        break
                    due, wait = self._due(now)
                    if due or self._recompute_requested:
                        break
                    until_check = self._next_check - now
                    self._cond.wait(until_check if wait is None else min(wait, until_check))
                due, _ = self._due(time.monotonic())
                recompute = self._recompute_requested
                self._recompute_requested = False
            if due:
                self._retrain()
            elif recompute:
                self._recompute_quietly()
            else:
                self._next_check = time.monotonic() + self.check_seconds
                self._check_behind()

    def _check_behind(self) -> None:
        """Is the model in use missing corrections, or built on an older base? Then retrain (once idle)."""
        if not self.auto:
            return
        try:
            with self.db.connection_context():
                self._bind()
                corrections = stored_corrections()
            digest, count = learning.corrections_digest(corrections), len(corrections)
        except Exception as exc:  # noqa: BLE001  a locked or closing database: look again later
            log.warning("linktriage: cannot read the corrections (%s)", exc)
            return
        own = learning.read_meta(self.own_dir).get("linktriage") or {} if (self.own_dir / "meta.json").is_file() else {}
        learned_digest = (own.get("learned") or {}).get("corrections_digest")
        if own and not own.get("learned"):
            return  # a `linktriage train` pipeline: the creator's own choice, replaced only by new corrections
        hold = self._hold()
        if hold is not None and hold == digest:
            return
        behind = (own and (learned_digest != digest or own.get("base_model_version") != learning.model_version_of(
            self.model_base_dir()))) or (not own and count > 0)
        if behind:
            with self._cond:
                if not self._pending:
                    self._pending = 1
                    self._last_event = time.monotonic() - self.idle_seconds  # nothing to wait for
                self._cond.notify_all()

    def _bind(self) -> None:
        from helper import store

        store.bind_models(self.db)

    def _retrain(self) -> None:
        with self._busy:
            with self._cond:
                started_pending = self._pending
                self._pending, self._force, self._error = 0, False, None
                self._state = "learning"
            started = time.perf_counter()
            try:
                with self.db.connection_context():
                    self._bind()
                    corrections = stored_corrections()
                with self._cond:
                    self._learning_from = len(corrections)
                staging = self.data_dir / "pipeline.next"
                meta = learning.learn(corrections, staging, base_dir=self.model_base_dir(),
                                      cache_dir=self.work_dir, steps=self.steps)
                self._install(staging)
                in_use = time.perf_counter() - started
                changed = self._recompute()
                self._runs += 1
                self._last_run = {
                    "finished_at": _utc_now_text(),
                    "corrections": len(corrections),
                    "learn_seconds": meta["seconds"],
                    "seconds_to_model_in_use": round(in_use, 2),
                    "changed_verdicts": changed,
                    "version": meta["model_version"],
                }
                log.warning("linktriage: learned from %d corrections in %.1f s; %d verdicts changed",
                            len(corrections), in_use, changed)
            except Exception as exc:  # noqa: BLE001  the helper keeps serving with the model it has
                log.exception("linktriage: retraining failed")
                with self._cond:
                    self._error = f"{type(exc).__name__}: {exc}"
                    # The corrections stay pending; try again later (or at once with the button).
                    self._pending += started_pending
                    self._retry_at = time.monotonic() + RETRY_SECONDS
            finally:
                with self._cond:
                    self._state = "idle"
                    self._learning_from = 0

    def _install(self, staging: Path) -> None:
        """Make the staged pipeline the creator's; keep the one it replaces for a rollback."""
        shutil.rmtree(self.previous_dir, ignore_errors=True)
        if self.own_dir.exists():
            self.own_dir.rename(self.previous_dir)
        staging.rename(self.own_dir)
        self.analyzer.swap_to(self.own_dir)

    def rollback(self) -> dict:
        """Go back to the previous model (and a second rollback forward again). RuntimeError while a
        retrain runs; FileNotFoundError when there is nothing to go back to."""
        if not self._busy.acquire(blocking=False):
            raise RuntimeError("a retrain is running; go back once it is done")
        try:
            if self.previous_dir.is_dir():
                swap = self.data_dir / "pipeline.swap"
                shutil.rmtree(swap, ignore_errors=True)
                if self.own_dir.exists():
                    self.own_dir.rename(swap)
                self.previous_dir.rename(self.own_dir)
                if swap.exists():
                    swap.rename(self.previous_dir)
            elif self.own_dir.is_dir():
                self.own_dir.rename(self.previous_dir)  # back to the base
            else:
                raise FileNotFoundError("there is no previous model to go back to")
            self.analyzer.swap_to(self.model_in_use_dir())
            with self.db.connection_context():
                self._bind()
                self._set_hold(learning.corrections_digest(stored_corrections()))
            with self._cond:
                self._pending, self._force = 0, False
                self._recompute_requested = True
                self._cond.notify_all()
        finally:
            self._busy.release()
        self.start()
        return self.status()

    # -- a rollback holds the model until the corrections change ------------------------------
    def _state_path(self) -> Path:
        return self.work_dir / STATE_FILE

    def _hold(self) -> str | None:
        try:
            return json.loads(self._state_path().read_text(encoding="utf-8")).get("hold_digest")
        except (OSError, ValueError, AttributeError):
            return None

    def _set_hold(self, digest: str | None) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        tmp = self._state_path().with_suffix(".tmp")
        tmp.write_text(json.dumps({"hold_digest": digest}), encoding="utf-8")
        tmp.replace(self._state_path())

    def _clear_hold(self) -> None:
        if self._state_path().is_file():
            try:
                self._state_path().unlink()
            except OSError:
                pass

    # -- verdicts ----------------------------------------------------------------------------
    def _recompute_quietly(self) -> None:
        with self._busy:
            try:
                self._recompute()
            except Exception:  # noqa: BLE001
                log.exception("linktriage: recomputing verdicts failed")

    def _recompute(self) -> int:
        with self.db.connection_context():
            self._bind()
            return recompute_verdicts(self.analyzer)


def recompute_verdicts(analyzer, page: int = RECOMPUTE_PAGE) -> int:
    """Score every stored comment the creator did not set by hand again; returns how many changed
    side of the line. Pages by row id, each page its own short write (requests never wait long)."""
    from helper.store import Comment, Note, Product, is_locked, write_transaction

    import peewee as pw

    catalogs: dict[str | None, list[dict]] = {}  # per account, as ingest attributes (Product.catalog_for)
    titles = {(n.platform, n.note_id): n.title for n in Note.select(Note.platform, Note.note_id, Note.title)}
    changed = 0
    last_id = 0
    hand_free = Comment.correction.is_null() & (Comment.status == "new")
    while True:
        rows = list(Comment.select(Comment.id, Comment.platform, Comment.comment_id, Comment.note_id,
                                   Comment.parent_id, Comment.author, Comment.author_id, Comment.text,
                                   Comment.is_author, Comment.is_request, Comment.score,
                                   Comment.suggested_reply, Comment.account)
                    .where(hand_free & (Comment.id > last_id)).order_by(Comment.id).limit(page))
        if not rows:
            return changed
        last_id = rows[-1].id
        parent_ids = {r.parent_id for r in rows if r.parent_id}
        parents = {}
        if parent_ids:
            parents = {(c.platform, c.comment_id): c.text for c in
                       Comment.select(Comment.platform, Comment.comment_id, Comment.text)
                       .where(Comment.comment_id.in_(list(parent_ids)))}
        updates, suggestions = [], []
        # One analyzer call per platform and account: a comment's reply names its account's products and
        # the shared ones, never another account's.
        by_platform: dict[tuple[str, str | None], list] = {}
        for r in rows:
            by_platform.setdefault((r.platform, r.account), []).append(r)
        for (platform, account), plat_rows in by_platform.items():
            if account not in catalogs:
                catalogs[account] = Product.catalog_for(account)
            catalog = catalogs[account]
            payload = [{
                "id": r.comment_id, "text": r.text, "note_id": r.note_id, "author": r.author,
                "author_id": r.author_id, "is_author": r.is_author,
                "note_title": titles.get((r.platform, r.note_id)),
                "parent_text": parents.get((r.platform, r.parent_id)) if r.parent_id else None,
            } for r in plat_rows]
            version = str(getattr(analyzer, "model_version", "") or "") or None
            for r, verdict in zip(plat_rows, analyzer.analyze(payload, catalog, platform=platform)):
                is_request = bool(verdict.get("is_request")) and not r.is_author
                score = float(verdict.get("score") or 0.0)
                if is_request != bool(r.is_request):
                    changed += 1
                updates.append((is_request, score, version, r.id))
                if is_request and not (r.suggested_reply or "").strip() and verdict.get("suggested_reply"):
                    suggestions.append((json.dumps(list(verdict.get("products") or []), ensure_ascii=False),
                                        verdict["suggested_reply"],
                                        json.dumps(list(verdict.get("compliance") or []), ensure_ascii=False),
                                        r.id))
        db = Comment._meta.database
        table = Comment._meta.table_name
        # Hand-set rows are left alone also when the creator set them while this page was scored.
        guard = "AND correction IS NULL AND status = 'new'"
        mark = db.param  # ? in SQLite, %s in PostgreSQL
        for attempt in range(20):
            try:
                with write_transaction(db):
                    db.cursor().executemany(
                        f'UPDATE "{table}" SET is_request = {mark}, score = {mark}, model_version = {mark} '
                        f'WHERE id = {mark} {guard}',
                        updates)
                    if suggestions:
                        db.cursor().executemany(
                            f'UPDATE "{table}" SET products = {mark}, suggested_reply = {mark}, compliance = {mark} '
                            f"WHERE id = {mark} AND (suggested_reply IS NULL OR suggested_reply = '') {guard}",
                            suggestions)
                break
            except pw.OperationalError as exc:
                if not is_locked(exc) or attempt == 19:
                    raise
                time.sleep(0.2)


def _lower_priority() -> None:
    """Retraining must not slow the requests: on Linux a thread has its own nice value."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass
