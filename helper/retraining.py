"""Retraining by itself: the creator's corrections reach the model while they work, no CLI step.

One `Retrainer` per helper (created with the app, see helper/api/model.py). It keeps one model per
*slot*: the shared model (comments without an account, accounts without corrections; DATA_DIR/pipeline)
and one per creator account with corrections (issue 14: the corrections of an account, from every
operator, train that account's model; DATA_DIR/accounts/<key>/pipeline, see helper/account_models.py).
Every correction (a PATCH with `correction`, a teach-queue answer) calls `notify(account=...)`. A worker
thread retrains a slot when

- `after` corrections arrived for it since its last retrain started (default 10), or
- at least one did and none came for `idle_seconds` (default 15 s: the last answers of a teach
  session are in the model within ~30 s),

never two at once and never in a request's thread. A retrain is helper/nlp/learning.py's fast
fine-tune of the *base* model on *all* the slot's corrections (seconds), written to the slot's
pipeline; the pipeline it replaces is kept as pipeline.previous, which `rollback()` swaps back (and a
second rollback swaps forward again). Without an own pipeline a slot uses the base model (an account:
the shared one).

After a swap, the stored verdicts the slot's model scores are recomputed, except comments the creator
set by hand: a correction, or a status other than "new" (replied/ignored). Only the model's verdict
(is_request, score, model_version) changes; a reply suggestion is filled in only where there was none.

The worker also compares, every `check_seconds`, the corrections in the database with the ones each
model in use learned (a digest in its meta): corrections imported with `linktriage corrections import`,
an undo, or a new base model after an upgrade (the model's base differs from the committed one) then
retrain too — unless the creator rolled back, which holds the model until the corrections change.

Team mode (PostgreSQL): every helper serves the same model for an account. A helper retrains an account
only while it holds that account's advisory lock (`pg_try_advisory_lock`, helper/store/account_models.py);
one that does not get it skips. The trained model is published to the database (`account_model`) and
every helper pulls the newest one of each account when it sees it (a cheap poll every few seconds);
a rollback is published the same way, with its hold. The shared model stays each helper's own.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from helper.account_models import AccountModels, account_dir, pack, unpack
from helper.nlp import learning

log = logging.getLogger("linktriage.retraining")

RETRAIN_AFTER = 10
IDLE_SECONDS = 15.0
CHECK_SECONDS = 30.0
POLL_SECONDS = 5.0  # team mode: how often a helper looks for models another helper published
RETRY_SECONDS = 120.0
LOCK_RETRY_SECONDS = 3.0  # team mode: another helper holds an account's retrain lock; look again after this
RECOMPUTE_PAGE = 500
STATE_FILE = "state.json"
SHARED = None  # the slot of the shared model
_ALL = object()
_LOCKED = object()


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
def stored_corrections(account=_ALL) -> list[learning.Correction]:
    """The corrections in the bound database, oldest first, with the title of the note each is under:
    every one, or one account's (`account=None`: those of comments without an account)."""
    return [c for _, c in _corrections(account)]


def stored_corrections_by_account(account=_ALL) -> dict[str | None, list[learning.Correction]]:
    """{account (None: no account): its corrections, oldest first}."""
    out: dict[str | None, list[learning.Correction]] = {}
    for owner, correction in _corrections(account):
        out.setdefault(owner, []).append(correction)
    return out


def _corrections(account=_ALL):
    import peewee as pw

    from helper.store import Comment, Note

    query = (
        Comment.select(Comment.text, Comment.correction, Note.title, Comment.account)
        .join(Note, join_type=pw.JOIN.LEFT_OUTER,
              on=(Note.platform == Comment.platform) & (Note.note_id == Comment.note_id))
        .where(Comment.correction.is_null(False))
        .order_by(Comment.id)
        .tuples()
    )
    if account is not _ALL:
        query = query.where(Comment.account.is_null() if account is None else Comment.account == account)
    return [(owner or None, learning.Correction(text, correction == "missed", title or ""))
            for text, correction, title, owner in query if text]


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
        "model_id": own.get("model_id"),
        "trained_by": own.get("trained_by"),
    }


class _Slot:
    """One model the retrainer keeps: the shared one (account None) or an account's."""

    def __init__(self, account: str | None, root: Path, state_path: Path):
        self.account = account
        self.root = root
        self.state_path = state_path
        self.pending = 0
        self.last_event: float | None = None
        self.force = False
        self.state = "idle"
        self.learning_from = 0
        self.error: str | None = None
        self.last_run: dict | None = None
        self.runs = 0  # retrains finished here since the helper started
        self.retry_at = 0.0  # after a failed retrain: not before this (monotonic)

    @property
    def own_dir(self) -> Path:
        return self.root / "pipeline"

    @property
    def previous_dir(self) -> Path:
        return self.root / "pipeline.previous"

    @property
    def staging_dir(self) -> Path:
        return self.root / "pipeline.next"

    def has_own(self) -> bool:
        return (self.own_dir / "meta.json").is_file()

    def due(self, now: float, after: int, idle_seconds: float) -> tuple[bool, float | None]:
        """(retrain now?, seconds to wait otherwise; None: until notified)."""
        if self.force:
            return True, None
        if now < self.retry_at:
            return False, self.retry_at - now
        if not self.pending:
            return False, None
        if self.pending >= after:
            return True, None
        waited = now - (self.last_event or now)
        if waited >= idle_seconds:
            return True, None
        return False, idle_seconds - waited

    # -- a small state file: the rollback's hold, the team model this helper installed ---------
    def read_state(self) -> dict:
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
            return state if isinstance(state, dict) else {}
        except (OSError, ValueError):
            return {}

    def write_state(self, **changes) -> None:
        state = {**self.read_state(), **changes}
        state = {k: v for k, v in state.items() if v is not None}
        if not state:
            self.state_path.unlink(missing_ok=True)
            return
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(self.state_path)

    def hold(self) -> str | None:
        return self.read_state().get("hold_digest")

    def model_id(self) -> str | None:
        """The team model this helper installed for the slot (its meta's model_id, or a "shared" row's id)."""
        state = self.read_state().get("model_id")
        if state:
            return state
        return (learning.read_meta(self.own_dir).get("linktriage") or {}).get("model_id") if self.has_own() else None


class Retrainer:
    def __init__(self, data_dir: Path, db, analyzer=None, *, auto: bool = True, after: int = RETRAIN_AFTER,
                 idle_seconds: float = IDLE_SECONDS, steps: int = learning.STEPS,
                 check_seconds: float = CHECK_SECONDS, operator: str | None = None):
        self.data_dir = Path(data_dir)
        self.db = db
        self._analyzer = analyzer
        self.models = AccountModels(self.data_dir, shared=analyzer)
        self.operator = operator
        self.auto = auto
        self.after = after
        self.idle_seconds = idle_seconds
        self.steps = steps
        self.check_seconds = check_seconds
        self.poll_seconds = min(POLL_SECONDS, check_seconds)
        self._cond = threading.Condition()
        self._busy = threading.Lock()  # held for a retrain, a rollback, a pull or a recompute: one at a time
        self._slots: dict[str | None, _Slot] = {SHARED: _Slot(SHARED, self.data_dir, self.work_dir / STATE_FILE)}
        for account in self.models.accounts_with_own():
            self._slot(account)
        self._recompute_requested: set = set()
        self._force_all = False
        self._next_check = 0.0
        self._next_poll = 0.0
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
        return self.models.shared

    @property
    def team(self) -> bool:
        from helper.store import is_postgres

        return is_postgres(self.db)

    def _slot(self, account: str | None) -> _Slot:
        """The slot of the account (created on first use). Call with or without self._cond."""
        with self._cond:  # re-entrant: the worker iterates the slots under it
            slot = self._slots.get(account)
            if slot is None:
                root = account_dir(self.data_dir, account)
                slot = self._slots[account] = _Slot(account, root, root / STATE_FILE)
            return slot

    def model_in_use_dir(self, account: str | None = SHARED) -> Path:
        """The slot's pipeline when there is one, else the shared model (as helper.config resolves it)."""
        from helper.config import resolve_model_dir

        if account is not SHARED and self._slot(account).has_own():
            return self._slot(account).own_dir
        return resolve_model_dir(self.data_dir)

    def model_base_dir(self) -> Path:
        return learning.base_model_dir()

    # -- events ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker (idempotent). It also checks at once whether a model is behind the
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

    def notify(self, count: int = 1, account: str | None = SHARED) -> None:
        """A correction of a comment of `account` (None: without one) was set, changed or removed."""
        with self._cond:
            slot = self._slot(account or None)
            slot.pending += count
            slot.last_event = time.monotonic()
            slot.write_state(hold_digest=None)
            self._cond.notify_all()
        if self.auto:
            self.start()

    def retrain_now(self, account=_ALL) -> None:
        """Retrain at the next opportunity, whatever the counters say (the dashboard's button): the
        account's model, or (no account given) every model that has corrections."""
        with self._cond:
            if account is _ALL:
                self._force_all = True  # the worker finds which accounts have corrections
                names = list(self._slots)
            else:
                names = [account or None]
            for name in names:
                slot = self._slot(name)
                slot.force, slot.retry_at = True, 0.0
                slot.write_state(hold_digest=None)
            self._cond.notify_all()
        self.start()

    def _force_accounts_with_corrections(self) -> None:
        """"Learn now" for all: every account with corrections retrains too (read in the worker's thread)."""
        try:
            with self.db.connection_context():
                self._bind()
                accounts = set(stored_corrections_by_account())
        except Exception as exc:  # noqa: BLE001
            log.warning("linktriage: cannot read the corrections (%s)", exc)
            return
        with self._cond:
            for name in accounts:
                slot = self._slot(name)
                slot.force, slot.retry_at = True, 0.0
                slot.write_state(hold_digest=None)

    # -- status ------------------------------------------------------------------------------
    def _slot_status(self, slot: _Slot) -> dict:
        with self._cond:
            pending, state, error = slot.pending, slot.state, slot.error
            last_run, learning_from = slot.last_run, slot.learning_from
            if state == "idle" and (pending or slot.force):
                state = "waiting"
            next_in = None
            if state == "waiting" and slot.last_event is not None and pending < self.after and not slot.force:
                next_in = max(0.0, round(slot.last_event + self.idle_seconds - time.monotonic(), 1))
        own = model_info(slot.own_dir) if slot.has_own() else None
        if slot.previous_dir.is_dir():
            previous = model_info(slot.previous_dir)
        elif own is not None:
            # going back from the first own model = the base (an account: the shared model)
            previous = model_info(self.model_base_dir() if slot.account is SHARED else self.model_in_use_dir())
        else:
            previous = None
        return {
            "account": slot.account,
            "state": state,
            "auto": self.auto,
            "pending": pending,
            "learning_from": learning_from if state == "learning" else None,
            "next_in_s": next_in,
            "retrain_after": self.after,
            "idle_seconds": self.idle_seconds,
            "model": model_info(self.model_in_use_dir(slot.account)),
            "own_model": own is not None,
            "previous": previous,
            "can_rollback": previous is not None and state != "learning",
            "held": slot.hold() is not None,
            "last_run": last_run,
            "runs": slot.runs,
            "error": error,
        }

    def status(self, account=_ALL) -> dict:
        """One account's model (`account`; None: the shared one), or the overview: the model most recently
        trained here (the shared one until an account has its own) with the counters of all, and
        `accounts`, each account's model."""
        if account is not _ALL:
            return {**self._slot_status(self._slot(account or None)), "team": self.team}
        with self._cond:
            slots = list(self._slots.values())
        each = [self._slot_status(slot) for slot in slots]
        accounts = [s for s in each if s["account"] is not SHARED]
        focus = self._focus(each)
        learning_now = [s for s in each if s["state"] == "learning"]
        waiting = [s for s in each if s["next_in_s"] is not None]
        overview = {
            **focus,
            "state": "learning" if learning_now else ("waiting" if any(s["state"] == "waiting" for s in each) else "idle"),
            "pending": sum(s["pending"] for s in each),
            "learning_from": learning_now[0]["learning_from"] if learning_now else None,
            "next_in_s": min(s["next_in_s"] for s in waiting) if waiting else None,
            "runs": sum(s["runs"] for s in each),
            "error": next((s["error"] for s in each if s["error"]), None),
            "team": self.team,
            "accounts": [{key: s[key] for key in ("account", "state", "pending", "model", "own_model", "previous",
                                                  "can_rollback", "held", "last_run", "runs", "error")}
                         for s in accounts],
        }
        return overview

    @staticmethod
    def _focus(each: list[dict]) -> dict:
        """The slot the overview (and a rollback without an account) is about: the own model trained last."""
        own = [s for s in each if s["own_model"]]
        if not own:
            return next(s for s in each if s["account"] is SHARED)
        return max(own, key=lambda s: ((s["model"] or {}).get("trained_at") or "", s["account"] is SHARED))

    # -- the worker --------------------------------------------------------------------------
    def _next_due(self, now: float) -> tuple[_Slot | None, float | None]:
        wait = None
        for slot in self._slots.values():
            due, slot_wait = slot.due(now, self.after, self.idle_seconds)
            if due:
                return slot, None
            if slot_wait is not None:
                wait = slot_wait if wait is None else min(wait, slot_wait)
        return None, wait

    def _work(self) -> None:
        _lower_priority()
        while True:
            with self._cond:
                while True:
                    if self._stopped:
                        return
                    now = time.monotonic()
                    if now >= self._next_check or (self.team and now >= self._next_poll):
                        break
                    slot, wait = self._next_due(now)
                    if slot is not None or self._recompute_requested or self._force_all:
                        break
                    until = self._next_check - now
                    if self.team:
                        until = min(until, self._next_poll - now)
                    self._cond.wait(until if wait is None else min(wait, until))
                force_all, self._force_all = self._force_all, False
                slot, _ = self._next_due(time.monotonic())
                recompute = set(self._recompute_requested) if slot is None and not force_all else set()
                self._recompute_requested -= recompute
            if force_all:
                self._force_accounts_with_corrections()
            elif slot is not None:
                self._retrain(slot)
            elif recompute:
                for account in recompute:
                    self._recompute_quietly(account)
            else:
                now = time.monotonic()
                if self.team and now >= self._next_poll:
                    self._next_poll = now + self.poll_seconds
                    self._pull_published()
                if now >= self._next_check:
                    self._next_check = now + self.check_seconds
                    self._check_behind()

    def _check_behind(self) -> None:
        """Is a model in use missing corrections, or built on an older base? Then retrain it (once idle)."""
        if not self.auto:
            return
        try:
            with self.db.connection_context():
                self._bind()
                by_account = stored_corrections_by_account()
        except Exception as exc:  # noqa: BLE001  a locked or closing database: look again later
            log.warning("linktriage: cannot read the corrections (%s)", exc)
            return
        with self._cond:
            accounts = set(self._slots) | set(by_account)
        base_version = learning.model_version_of(self.model_base_dir())
        for account in accounts:
            slot = self._slot(account)
            corrections = by_account.get(account, [])
            digest, count = learning.corrections_digest(corrections), len(corrections)
            own = (learning.read_meta(slot.own_dir).get("linktriage") or {}) if slot.has_own() else {}
            if own and not own.get("learned"):
                continue  # a `linktriage train` pipeline: the creator's own choice, replaced only by new corrections
            hold = slot.hold()
            if hold is not None and hold == digest:
                continue
            learned_digest = (own.get("learned") or {}).get("corrections_digest")
            behind = (own and (learned_digest != digest or own.get("base_model_version") != base_version)) or (
                not own and count > 0)
            if behind:
                with self._cond:
                    if not slot.pending:
                        slot.pending = 1
                        slot.last_event = time.monotonic() - self.idle_seconds  # nothing to wait for
                    self._cond.notify_all()

    def _bind(self) -> None:
        from helper import store

        store.bind_models(self.db)

    def _retrain(self, slot: _Slot) -> None:
        with self._busy:
            with self._cond:
                started_pending, started_force = slot.pending, slot.force
                slot.pending, slot.force, slot.error = 0, False, None
                slot.state = "learning"
            started = time.perf_counter()
            try:
                if self.team and slot.account is not SHARED:
                    done = self._retrain_team(slot, started)
                    if done is _LOCKED:
                        # Another helper trains this account now: look again shortly. Then its model is
                        # published and pulled, or (corrections it did not see) this helper trains.
                        with self._cond:
                            slot.pending += started_pending
                            slot.force = slot.force or started_force
                            slot.retry_at = time.monotonic() + LOCK_RETRY_SECONDS
                        self._next_poll = 0.0
                        return
                else:
                    with self.db.connection_context():
                        self._bind()
                        corrections = stored_corrections(slot.account)
                    done = self._learn_and_install(slot, corrections, started)
                if done:
                    slot.runs += 1
                    slot.last_run = done
                    log.warning("linktriage: learned %s from %d corrections in %.1f s; %d verdicts changed",
                                f"account {slot.account}'s model" if slot.account else "the shared model",
                                done["corrections"], done["seconds_to_model_in_use"], done["changed_verdicts"])
            except Exception as exc:  # noqa: BLE001  the helper keeps serving with the model it has
                log.exception("linktriage: retraining failed")
                with self._cond:
                    slot.error = f"{type(exc).__name__}: {exc}"
                    # The corrections stay pending; try again later (or at once with the button).
                    slot.pending += started_pending
                    slot.retry_at = time.monotonic() + RETRY_SECONDS
            finally:
                with self._cond:
                    slot.state = "idle"
                    slot.learning_from = 0

    def _learn(self, slot: _Slot, corrections: list) -> dict:
        """Fine-tune the base on the corrections into the slot's staging dir; its meta says whose it is."""
        with self._cond:
            slot.learning_from = len(corrections)
        slot.root.mkdir(parents=True, exist_ok=True)
        meta = learning.learn(corrections, slot.staging_dir, base_dir=self.model_base_dir(),
                              cache_dir=self.work_dir, steps=self.steps)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        model_id = f"{meta['model_version']}@{stamp}-{secrets.token_hex(3)}"
        meta_path = slot.staging_dir / "meta.json"
        full = json.loads(meta_path.read_text(encoding="utf-8"))
        full["linktriage"] = {**full.get("linktriage", {}), "model_id": model_id, "account": slot.account,
                              "trained_by": self.operator}
        meta_path.write_text(json.dumps(full, ensure_ascii=False, indent=2), encoding="utf-8")
        return {**meta, "model_id": model_id}

    def _learn_and_install(self, slot: _Slot, corrections: list, started: float) -> dict:
        if slot.account is not SHARED and not corrections:  # none left: the account uses the shared model
            self._drop_own(slot)
            slot.write_state(model_id=None)
            return self._finish(slot, 0, {"model_version": None}, started)
        meta = self._learn(slot, corrections)
        self._install(slot, slot.staging_dir)
        slot.write_state(model_id=None)
        return self._finish(slot, len(corrections), meta, started)

    def _finish(self, slot: _Slot, corrections: int, meta: dict, started: float) -> dict:
        in_use = time.perf_counter() - started
        changed = self._recompute(slot.account)
        return {
            "finished_at": _utc_now_text(),
            "corrections": corrections,
            "learn_seconds": meta.get("seconds"),
            "seconds_to_model_in_use": round(in_use, 2),
            "changed_verdicts": changed,
            "version": meta["model_version"],
            "model_id": meta.get("model_id"),
        }

    def _retrain_team(self, slot: _Slot, started: float) -> dict | None:
        """An account's retrain in a team: only with the account's advisory lock (else skip and pull the
        other helper's result); a model another helper already published for these corrections is pulled,
        not trained again; a trained one is published for every helper."""
        from helper.store.account_models import AccountModel, retrain_lock

        with self.db.connection_context():
            self._bind()
            with retrain_lock(self.db, slot.account) as got:
                if not got:
                    log.warning("linktriage: another helper is retraining account %s; using its model", slot.account)
                    return _LOCKED
                corrections = stored_corrections(slot.account)
                digest = learning.corrections_digest(corrections)
                published = AccountModel.newest(self.db, slot.account).get(slot.account)
                base_version = learning.model_version_of(self.model_base_dir())
                if published and published["corrections_digest"] == digest and (
                        published["base_version"] in (None, base_version) or not corrections):
                    if published["model_id"] != slot.model_id():  # another helper trained these corrections
                        self._install_published(slot, published)
                        self._recompute(slot.account)
                    return None
                if not corrections:
                    model_id = f"shared@{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"
                    row = AccountModel.publish(self.db, slot.account, model_id=model_id, artefact=None,
                                               corrections=0, corrections_digest=digest, trained_by=self.operator)
                    self._install_published(slot, row, artefact=None)
                    return self._finish(slot, 0, {"model_version": None, "model_id": model_id}, started)
                meta = self._learn(slot, corrections)
                artefact = pack(slot.staging_dir)
                AccountModel.publish(self.db, slot.account, model_id=meta["model_id"], artefact=artefact,
                                     model_version=meta["model_version"], base_version=meta["base_model_version"],
                                     corrections=len(corrections), corrections_digest=digest,
                                     trained_by=self.operator)
                self._install(slot, slot.staging_dir)
                slot.write_state(model_id=None, hold_digest=None)
        return self._finish(slot, len(corrections), meta, started)

    def _install(self, slot: _Slot, staging: Path) -> None:
        """Make the staged pipeline the slot's; keep the one it replaces for a rollback."""
        shutil.rmtree(slot.previous_dir, ignore_errors=True)
        if slot.own_dir.exists():
            slot.own_dir.rename(slot.previous_dir)
        staging.rename(slot.own_dir)
        self._use(slot)

    def _drop_own(self, slot: _Slot) -> None:
        """The slot goes back to the base (an account: the shared model); its pipeline becomes the previous."""
        if slot.own_dir.exists():
            shutil.rmtree(slot.previous_dir, ignore_errors=True)
            slot.own_dir.rename(slot.previous_dir)
        self._use(slot)

    def _use(self, slot: _Slot) -> None:
        if slot.account is SHARED:
            self.analyzer.swap_to(self.model_in_use_dir())
        else:
            self.models.swap(slot.account, slot.own_dir if slot.has_own() else None)

    # -- team mode: the models other helpers published --------------------------------------------
    def _pull_published(self) -> None:
        """Install the newest model of each account another helper published (when it is not ours)."""
        from helper.store.account_models import AccountModel

        try:
            with self.db.connection_context():
                newest = AccountModel.newest(self.db)
        except Exception as exc:  # noqa: BLE001  the server may be down: look again later
            log.warning("linktriage: cannot look for published models (%s)", exc)
            return
        for account, row in newest.items():
            slot = self._slot(account)
            if row["model_id"] == slot.model_id() or slot.state == "learning":
                continue
            with self._busy:
                if row["model_id"] == slot.model_id():
                    continue
                try:
                    with self.db.connection_context():
                        self._bind()
                        self._install_published(slot, row)
                except Exception:  # noqa: BLE001
                    log.exception("linktriage: cannot use the model published for account %s", account)
                    continue
            with self._cond:
                self._recompute_requested.add(account)
                self._cond.notify_all()

    def _install_published(self, slot: _Slot, row: dict, artefact=_ALL) -> None:
        """Install a published row's model for the slot (None artefact: the shared model), with its hold."""
        from helper.store.account_models import AccountModel

        if artefact is _ALL:
            artefact = AccountModel.artefact_of(self.db, row["id"]) if row.get("has_artefact", True) else None
        if artefact is None:
            self._drop_own(slot)
        else:
            slot.root.mkdir(parents=True, exist_ok=True)
            self._install(slot, unpack(artefact, slot.staging_dir))
        slot.write_state(model_id=row["model_id"], hold_digest=row.get("hold_digest"))
        log.warning("linktriage: account %s uses model %s (from %s)", slot.account, row["model_id"],
                    row.get("trained_by") or "another helper")

    # -- rollback -------------------------------------------------------------------------------
    def rollback(self, account=_ALL) -> dict:
        """Go back to the previous model of the account (no account given: the model the overview is
        about), and a second rollback forward again. RuntimeError while a retrain runs;
        FileNotFoundError when there is nothing to go back to."""
        overview = account is _ALL
        if overview:
            account = self.status()["account"]
        slot = self._slot(account or None)
        if not self._busy.acquire(blocking=False):
            raise RuntimeError("a retrain is running; go back once it is done")
        try:
            with self.db.connection_context():
                self._bind()
                digest = learning.corrections_digest(stored_corrections(slot.account))
                if self.team and slot.account is not SHARED:
                    self._rollback_team(slot, digest)
                else:
                    self._rollback_local(slot)
                    slot.write_state(hold_digest=digest)
            with self._cond:
                slot.pending, slot.force = 0, False
                self._recompute_requested.add(slot.account)
                self._cond.notify_all()
        finally:
            self._busy.release()
        self.start()
        return self.status() if overview else self.status(slot.account)

    def _rollback_local(self, slot: _Slot) -> None:
        if slot.previous_dir.is_dir():
            swap = slot.root / "pipeline.swap"
            shutil.rmtree(swap, ignore_errors=True)
            if slot.own_dir.exists():
                slot.own_dir.rename(swap)
            slot.previous_dir.rename(slot.own_dir)
            if swap.exists():
                swap.rename(slot.previous_dir)
        elif slot.own_dir.is_dir():
            slot.own_dir.rename(slot.previous_dir)  # back to the base (an account: the shared model)
        else:
            raise FileNotFoundError("there is no previous model to go back to")
        self._use(slot)

    def _rollback_team(self, slot: _Slot, digest: str) -> None:
        """Publish the account's previous model again (the newest kept row with another model), held until
        the corrections change, so that every helper goes back; none kept: back to the shared model."""
        from helper.store.account_models import AccountModel, retrain_lock

        with retrain_lock(self.db, slot.account) as got:
            if not got:
                raise RuntimeError("another helper is retraining this account; go back once it is done")
            rows = AccountModel.history(self.db, slot.account)
            if not rows or (len(rows) == 1 and not AccountModel.newest(self.db, slot.account)[slot.account]["has_artefact"]):
                raise FileNotFoundError("there is no previous model to go back to")
            current = rows[0]
            target = next((r for r in rows[1:] if r["model_id"] != current["model_id"]), None)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            if target is None:
                artefact, fields = None, {"model_id": f"shared@{stamp}-{secrets.token_hex(3)}"}
            else:
                artefact = AccountModel.artefact_of(self.db, target["id"])
                fields = {key: target[key] for key in ("model_id", "model_version", "base_version", "corrections",
                                                       "corrections_digest")}
            row = AccountModel.publish(self.db, slot.account, artefact=artefact, hold_digest=digest,
                                       trained_by=self.operator, **fields)
            self._install_published(slot, row, artefact=artefact)

    # -- verdicts ----------------------------------------------------------------------------
    def _recompute_quietly(self, account) -> None:
        with self._busy:
            try:
                self._recompute(account)
            except Exception:  # noqa: BLE001
                log.exception("linktriage: recomputing verdicts failed")

    def _recompute(self, account: str | None) -> int:
        """Score again the comments the slot's model scores: an account's, or (shared) those without an
        account or of an account without its own model."""
        with self.db.connection_context():
            self._bind()
            if account is SHARED:
                return recompute_verdicts(self.analyzer, models=self.models, shared_only=True)
            return recompute_verdicts(self.analyzer, models=self.models, accounts=[account])


def recompute_verdicts(analyzer, page: int = RECOMPUTE_PAGE, *, models: AccountModels | None = None,
                       accounts: list | None = None, shared_only: bool = False) -> int:
    """Score every stored comment the creator did not set by hand again; returns how many changed
    side of the line. Pages by row id, each page its own short write (requests never wait long).

    `models`: each comment is scored by its account's model (`analyzer` for all without it);
    `accounts`: only the comments of these accounts; `shared_only`: only the comments the shared model
    scores (no account, or an account without its own model in `models`)."""
    from helper.store import Comment, Note, Product, is_locked, write_transaction

    import peewee as pw

    catalogs: dict[str | None, list[dict]] = {}  # per account, as ingest attributes (Product.catalog_for)
    titles = {(n.platform, n.note_id): n.title for n in Note.select(Note.platform, Note.note_id, Note.title)}
    changed = 0
    last_id = 0
    hand_free = Comment.correction.is_null() & (Comment.status == "new")
    if accounts is not None:
        named = [a for a in accounts if a]
        if named and None in accounts:
            hand_free &= Comment.account.in_(named) | Comment.account.is_null()
        elif named:
            hand_free &= Comment.account.in_(named)
        else:
            hand_free &= Comment.account.is_null()
    if shared_only and models is not None:
        own = models.accounts_with_own()
        if own:
            hand_free &= Comment.account.is_null() | Comment.account.not_in(own)
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
        # the shared ones, never another account's; its verdict is its account's model's.
        by_platform: dict[tuple[str, str | None], list] = {}
        for r in rows:
            by_platform.setdefault((r.platform, r.account), []).append(r)
        for (platform, account), plat_rows in by_platform.items():
            if account not in catalogs:
                catalogs[account] = Product.catalog_for(account)
            catalog = catalogs[account]
            scorer = models.analyzer_for(account) if models is not None else analyzer
            payload = [{
                "id": r.comment_id, "text": r.text, "note_id": r.note_id, "author": r.author,
                "author_id": r.author_id, "is_author": r.is_author,
                "note_title": titles.get((r.platform, r.note_id)),
                "parent_text": parents.get((r.platform, r.parent_id)) if r.parent_id else None,
            } for r in plat_rows]
            verdicts = scorer.analyze(payload, catalog, platform=platform)
            version = str(getattr(scorer, "model_version", "") or "") or None
            for r, verdict in zip(plat_rows, verdicts):
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
