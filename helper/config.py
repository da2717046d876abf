"""Where things live: the data dir and the trained model."""

from __future__ import annotations

import os
from pathlib import Path

from helper import APP_NAME

# models/ sits beside helper/ in the repo; the trained spaCy pipeline is models/pipeline.
REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO_ROOT / "models"
DEFAULT_MODEL_DIR = MODELS_DIR / "pipeline"


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """--data-dir, else $LINKTRIAGE_DATA_DIR, else the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("LINKTRIAGE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_model_dir() -> Path:
    """$LINKTRIAGE_MODEL_DIR, else the committed pipeline in models/pipeline."""
    env = os.environ.get("LINKTRIAGE_MODEL_DIR")
    return Path(env).expanduser() if env else DEFAULT_MODEL_DIR
