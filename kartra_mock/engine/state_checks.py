"""Reading a state document's values: each reader checks one value or raises a clear reason.

Shared by ``state.py`` (the world and its accounts), ``state_leads.py`` and
``state_commerce.py``. Every reason names where in the document the value is
(``accounts[0].leads[2].email: must be a non-empty string``), so a 422 says what to fix.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

from kartra_mock.domain.commerce import parse_money
from kartra_mock.domain.est import parse_est
from kartra_mock.protocol.numbers import MAX_WHOLE, is_whole

__all__ = [
    "StateError",
    "check_unicode",
    "fail",
    "read_flag",
    "read_int",
    "read_list",
    "read_money",
    "read_names",
    "read_object",
    "read_stamp",
    "read_text",
]


class StateError(ValueError):
    """A state document that cannot be loaded; the message says where and why."""


def fail(where: str, why: str) -> StateError:
    """The error for a value at ``where`` that is wrong because ``why``."""
    return StateError(f"{where}: {why}")


def check_unicode(document: object, where: str) -> None:
    """Every string (key or value) can be written as UTF-8: no lone UTF-16 surrogate.

    JSON's ``\\ud800`` escape reads as one, and a world holding it could not be dumped to a
    UTF-8 file or answer; nothing else can put one in the world (the wire decodes as PHP,
    which refuses them). Iterative: a deeply nested document cannot exhaust the stack.
    """
    try:
        # The fast answer, in C: JSON text without escapes encodes to UTF-8 unless a string
        # holds a surrogate. Anything unusual (a surrogate, a value JSON cannot hold, a very
        # deep document) takes the walk below, which names the place.
        json.dumps(document, ensure_ascii=False, check_circular=False).encode()
    except (UnicodeEncodeError, TypeError, ValueError, RecursionError):
        pass
    else:
        return
    pending: list[tuple[object, str]] = [(document, where)]
    while pending:
        value, place = pending.pop()
        texts: list[str] = []
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            texts.extend(str(key) for key in value)
            pending.extend((item, f"{place}.{key}") for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((item, f"{place}[{i}]") for i, item in enumerate(value))
        for text in texts:
            try:
                text.encode()
            except UnicodeEncodeError as exc:
                bad = text[exc.start]
                raise fail(place, f"a lone UTF-16 surrogate ({bad!a}) is not text") from None


def read_object(value: object, where: str, keys: frozenset[str]) -> dict[str, Any]:
    """A JSON object whose keys are all among ``keys``."""
    if not isinstance(value, dict):
        raise fail(where, "must be an object")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise fail(where, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(keys))})")
    return cast(dict[str, Any], value)


def read_list(value: object, where: str) -> list[Any]:
    """A JSON array."""
    if not isinstance(value, list):
        raise fail(where, "must be a list")
    return value


def read_text(value: object, where: str, *, empty: bool = True) -> str:
    """A string (non-empty unless ``empty``)."""
    if not isinstance(value, str) or (not empty and value == ""):
        raise fail(where, "must be a non-empty string" if not empty else "must be a string")
    return value


def read_flag(value: object, where: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise fail(where, "must be true or false")
    return value


def read_int(value: object, where: str, *, minimum: int = 0, maximum: int = MAX_WHOLE) -> int:
    """An integer in ``minimum..maximum`` (by default: what a client could send as an id)."""
    if not is_whole(value, minimum=minimum, maximum=maximum):
        raise fail(where, f"must be an integer from {minimum} to {maximum}")
    return value


def read_names(value: object, where: str) -> tuple[str, ...]:
    """A list of unique, non-empty names."""
    names = tuple(
        read_text(item, f"{where}[{i}]", empty=False)
        for i, item in enumerate(read_list(value, where))
    )
    if len(set(names)) != len(names):
        raise fail(where, "names must be unique")
    return names


def read_money(value: object, where: str) -> Decimal:
    """An amount: a string such as ``"19.95"`` (or a JSON number), at most two decimals."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    amount = parse_money(value) if isinstance(value, str) else None
    if amount is None:
        raise fail(where, 'must be an amount such as "19.95"')
    return amount


def read_stamp(value: object, where: str) -> str:
    """An EST time stamp as Kartra writes it, ``YYYY-MM-DD HH:MM:SS``."""
    text = read_text(value, where)
    if parse_est(text) is None:
        raise fail(where, f"{text!r} is not a time stamp 'YYYY-MM-DD HH:MM:SS' (EST)")
    return text
