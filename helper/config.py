"""Where things live: the data dir and the trained model."""

from __future__ import annotations

import os
from pathlib import Path

from helper import APP_NAME

# models/ sits beside helper/ in the repo; helper/_models links to it, and an installed wheel carries a
# copy there (the trained pipeline, the config, the corpus retraining reads). Resolved, so messages in a
# checkout name models/ itself.
MODELS_DIR = (Path(__file__).resolve().parent / "_models").resolve()
DEFAULT_MODEL_DIR = MODELS_DIR / "pipeline"
# The checkout's root: for tooling in a checkout (tests and benchmarks find models/ and tests/ by it);
# nothing the helper does at run time uses it.
REPO_ROOT = Path(__file__).resolve().parent.parent


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $LINKTRIAGE_DATA_DIR, else the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("LINKTRIAGE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


OPERATOR_FILE = "operator"
MAX_OPERATOR_CHARS = 64
# Words the store already uses for who set a status: an operator cannot take them.
RESERVED_OPERATORS = {"thread", "dashboard", "extension"}


def resolve_operator(data_dir: str | os.PathLike, explicit: str | None = None) -> str | None:
    """Who this helper acts as (team mode): `serve --operator NAME`, remembered in DATA_DIR/operator for
    the next start; else the remembered name; else None (a lone creator: "dashboard"/"extension").
    ValueError for a name that cannot be one."""
    path = Path(data_dir) / OPERATOR_FILE
    if explicit is None:
        try:
            saved = path.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return saved or None
    name = explicit.strip()
    if not name or len(name) > MAX_OPERATOR_CHARS or not name.isprintable():
        raise ValueError(f"--operator must be 1 to {MAX_OPERATOR_CHARS} printable characters")
    if name.lower() in RESERVED_OPERATORS:
        raise ValueError(f"--operator cannot be {name!r} (the store uses that word itself)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(name + "\n", encoding="utf-8")
    return name


def own_model_dir(data_dir: str | os.PathLike) -> Path:
    """Where `linktriage train` puts a pipeline retrained with the creator's corrections."""
    return Path(data_dir) / "pipeline"


def resolve_model_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """$LINKTRIAGE_MODEL_DIR, else the creator's retrained pipeline in DATA_DIR/pipeline (when there
    is one), else the committed pipeline in models/pipeline.

    Retraining writes to the data dir, not the repository, so a creator's model survives updates of
    the checkout and the committed model stays what the corpus builds."""
    env = os.environ.get("LINKTRIAGE_MODEL_DIR")
    if env:
        return Path(env).expanduser()
    if data_dir is not None and (own_model_dir(data_dir) / "meta.json").is_file():
        return own_model_dir(data_dir)
    return base_model_dir()


def base_model_dir() -> Path:
    """The model a creator's corrections are learned on top of (helper/nlp/learning.py), and the one in
    use without a creator's model: $LINKTRIAGE_BASE_MODEL_DIR (benchmarks, tests), else the committed one."""
    env = os.environ.get("LINKTRIAGE_BASE_MODEL_DIR")
    return Path(env).expanduser() if env else DEFAULT_MODEL_DIR
