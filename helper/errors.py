"""Errors that mean "the user gave us something we cannot use" (no traceback, exit 2)."""


class UserError(Exception):
    """A problem with the user's input or environment, reported as one clear line."""

    exit_code = 2
