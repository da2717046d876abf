"""LinkTriage helper: stores captured comments, flags link requests, suggests replies."""

__version__ = "0.1.0"
APP_NAME = "linktriage"
DEFAULT_PORT = 17615
