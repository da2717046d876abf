"""Which model scores a comment: its account's own, else the shared one (issue 14, per-account retraining).

Corrections of an account (from every operator) train that account's model, on top of the base model
(helper/retraining.py). Its pipeline lives in DATA_DIR/accounts/<key>/pipeline (the one before it in
pipeline.previous); comments without an account, and accounts without an own model, use the shared
model (the process-wide analyzer: DATA_DIR/pipeline, else the committed one).

    models = AccountModels(data_dir)
    models.analyzer_for("5f1e9a3b...")   # an Analyzer on that account's pipeline, or the shared one
    models.swap(account, path)           # a retrain / pull / rollback installed a pipeline there

A team (PostgreSQL) shares the trained models through the database (helper/store/account_models.py):
`pack` makes the artefact of a pipeline (only what the scorer loads: the exported bag-of-n-grams
weights, the rule layer, config and meta; no spaCy textcat or vocab), `unpack` writes one back.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import tarfile
import threading
from pathlib import Path

# What Classifier(model_dir=...) reads when the exported weights belong to the pipeline
# (helper/nlp/classifier.py, bow_scorer.py, ask_shapes.py): everything else is for spaCy.
ARTEFACT_FILES = ("meta.json", "config.cfg", "bow_weights.npz", "linktriage_ask_rules/rules.json")
MAX_ARTEFACT_BYTES = 64 * 1024 * 1024  # unpacking refuses anything larger (a broken or hostile row)

_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def account_key(account: str) -> str:
    """The account's folder name: the id itself when it is a plain id (Xiaohongshu's are hex), else a hash."""
    if _SAFE.match(account):
        return account
    return "h-" + hashlib.sha256(account.encode("utf-8")).hexdigest()[:32]


def account_dir(data_dir: str | Path, account: str) -> Path:
    return Path(data_dir) / "accounts" / account_key(account)


def pack(pipeline_dir: str | Path) -> bytes:
    """The artefact of a pipeline: a gzipped tar of ARTEFACT_FILES (about 1.8 MB)."""
    pipeline_dir = Path(pipeline_dir)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        for name in ARTEFACT_FILES:
            path = pipeline_dir / name
            if path.is_file():
                tar.add(path, arcname=name, recursive=False)
    return buffer.getvalue()


def unpack(artefact: bytes, out_dir: str | Path) -> Path:
    """Write an artefact's files into out_dir (replaced); only the known names, only regular files."""
    out_dir = Path(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(artefact), mode="r:gz") as tar:
        total = 0
        for member in tar.getmembers():
            if member.name not in ARTEFACT_FILES or not member.isfile():
                continue
            total += member.size
            if total > MAX_ARTEFACT_BYTES:
                raise ValueError("model artefact too large")
            target = out_dir / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    for name in ("meta.json", "config.cfg"):
        if not (out_dir / name).is_file():
            raise ValueError(f"model artefact without {name}")
    return out_dir


class AccountModels:
    """The analyzers of a data dir's accounts: one per account with an own pipeline, created on first use."""

    def __init__(self, data_dir: str | Path, shared=None):
        self.data_dir = Path(data_dir)
        self._shared = shared
        self._analyzers: dict[str, object] = {}
        self._lock = threading.Lock()

    @property
    def shared(self):
        """The shared model's analyzer (the process-wide one unless given)."""
        if self._shared is None:
            from helper.nlp import get_analyzer

            self._shared = get_analyzer()
        return self._shared

    def own_dir(self, account: str) -> Path:
        return account_dir(self.data_dir, account) / "pipeline"

    def has_own(self, account: str | None) -> bool:
        return bool(account) and (self.own_dir(account) / "meta.json").is_file()

    def accounts_with_own(self) -> list[str]:
        """Accounts with an own pipeline in this data dir (read from each pipeline's meta)."""
        import json

        found = []
        for meta in sorted((self.data_dir / "accounts").glob("*/pipeline/meta.json")):
            try:
                account = (json.loads(meta.read_text(encoding="utf-8")).get("linktriage") or {}).get("account")
            except (OSError, ValueError):
                continue
            if account and self.own_dir(account) == meta.parent:
                found.append(account)
        return found

    def analyzer_for(self, account: str | None):
        """The analyzer that scores this account's comments."""
        if not self.has_own(account):
            return self.shared
        with self._lock:
            analyzer = self._analyzers.get(account)
            if analyzer is None:
                from helper.nlp.analyzer import Analyzer

                analyzer = self._analyzers[account] = Analyzer(self.own_dir(account))
            return analyzer

    def swap(self, account: str, model_dir: str | Path | None) -> None:
        """A new pipeline for the account (loaded now; errors propagate and change nothing), or None: the
        account goes back to the shared model."""
        if model_dir is None:
            with self._lock:
                self._analyzers.pop(account, None)
            return
        from helper.nlp.analyzer import Analyzer

        analyzer = Analyzer(model_dir)
        analyzer.swap_to(model_dir)
        with self._lock:
            self._analyzers[account] = analyzer
