"""LinkTriage helper: stores captured comments, flags link requests, suggests replies."""

__version__ = "0.1.0"
APP_NAME = "linktriage"
from helper.vocab import DEFAULT_PORT  # noqa: E402,F401  (re-exported: `from helper import DEFAULT_PORT`)
