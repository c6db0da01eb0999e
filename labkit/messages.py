"""Error-message helpers: echo what the user gave without flooding the terminal."""
from __future__ import annotations

LIMIT = 40  # characters of user input shown in a message


def shorten(text: str, limit: int = LIMIT) -> str:
    """`text` cut to `limit` characters, with its full length said when cut."""
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text)} characters)"


def short_repr(value: object, limit: int = LIMIT) -> str:
    """`repr(value)` cut to `limit` characters."""
    return shorten(repr(value), limit)


class UserError(Exception):
    """A mistake the user can act on (a bad argument, folder or file): the CLI prints it and exits 2."""
