"""Whole numbers from client input: one parser, one bound, for the wire, domain and control plane.

Everything a client can send as a number — a lead, transaction or custom-field option id, a
count of points or days, a journal position, a fault id, a ``Content-Length`` — is read here.
Only ASCII digits count (``"٣"`` and ``"²"`` are not numbers on the wire), and at most
:data:`MAX_DIGITS` significant digits are read: Kartra keeps its ids in 64-bit integers, so no
longer number can name anything (inferred), and a bound keeps Python's ``int()`` from refusing a
huge string with a ``ValueError`` (its ``sys.get_int_max_str_digits`` limit). Leading zeros are
not significant (``"007"`` is 7, as PHP and MySQL read it).

Each caller turns ``None`` into its own answer: the command's documented Kartra error on
``/api``, a 4xx on the control plane. See ``docs/operations.md#limits``.

Example::

    >>> parse_whole("48110")
    48110
    >>> parse_whole("1" * 19) is None
    True
"""

from __future__ import annotations

from typing import TypeGuard

__all__ = ["MAX_DIGITS", "MAX_WHOLE", "is_whole", "parse_whole"]

#: Significant digits in any number a client sends: every such number fits a signed 64-bit int.
MAX_DIGITS = 18
#: The largest number :func:`parse_whole` returns by default.
MAX_WHOLE = 10**MAX_DIGITS - 1


def parse_whole(text: object, *, max_digits: int = MAX_DIGITS) -> int | None:
    """``text`` as a whole number (ASCII digits only), or ``None`` if it is not one or too long.

    ``max_digits`` may only tighten the bound (a command that documents a smaller range).
    """
    if not isinstance(text, str) or text == "" or not text.isascii() or not text.isdigit():
        return None
    significant = text.lstrip("0")
    if len(significant) > min(max_digits, MAX_DIGITS):
        return None
    return int(significant or "0")


def is_whole(value: object, *, minimum: int = 0, maximum: int = MAX_WHOLE) -> TypeGuard[int]:
    """Whether a decoded JSON value is an integer (not a bool) in ``minimum..maximum``."""
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum
