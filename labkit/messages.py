"""Error-message helpers: echo what the user gave without flooding the terminal; the language
of the exercise checks' feedback (LABKIT_LANG=zh_CN: Chinese, from labkit/exercises/_zh_CN.py)."""
from __future__ import annotations

import functools
import os
import re

LIMIT = 40  # characters of user input shown in a message


def shorten(text: str, limit: int = LIMIT) -> str:
    """`text` cut to `limit` characters, with its full length said when cut."""
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text)} characters)"


def short_repr(value: object, limit: int = LIMIT) -> str:
    """`repr(value)` cut to `limit` characters."""
    return shorten(repr(value), limit)


class UserError(Exception):
    """A mistake the user can act on (a bad argument, folder or file): the CLI prints it and exits 2."""


LANGUAGES = ("en", "zh_CN")  # English is the source; LABKIT_LANG picks another


def language() -> str:
    """The language of labkit's feedback: LABKIT_LANG (default "en"), checked."""
    chosen = os.environ.get("LABKIT_LANG", "en") or "en"
    if chosen not in LANGUAGES:
        raise ValueError(f"LABKIT_LANG={shorten(chosen)!r} is not one of {', '.join(LANGUAGES)}")
    return chosen


@functools.lru_cache(maxsize=None)
def _patterns(language: str) -> tuple[tuple[re.Pattern, str], ...]:
    """(regex of an English template, its translation) for `language`, longest template first."""
    from .exercises._zh_CN import MESSAGES  # the only catalogue so far

    catalogue = MESSAGES if language == "zh_CN" else {}
    pairs = []
    for english, translated in sorted(catalogue.items(), key=lambda kv: -len(kv[0])):
        if translated is None:
            continue
        literal = english.replace("{{", "\0").replace("}}", "\1").split("{}")
        parts = [re.escape(p.replace("\0", "{").replace("\1", "}")) for p in literal]
        pairs.append((re.compile("(.*?)".join(parts), re.DOTALL), translated))
    return tuple(pairs)


def translate(text: str) -> str:
    """`text` (a message of the checks) in the feedback language; English when no template fits.

    A template's fields are translated too, so a hint inside a verdict comes out translated."""
    for pattern, translated in _patterns(language()):
        match = pattern.fullmatch(text)
        if match:
            return translated.format(*(translate(field) for field in match.groups()))
    return text
