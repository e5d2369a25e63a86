"""JSON request bodies read the way a PHP endpoint reads them: ``json_decode($body, true)``.

Kartra reads forms; a WordPress plugin sends JSON (observed), so the mock accepts it with a
contract warning (docs/behaviour.md#wire). Strings come from PHP's ``(string)`` casts, and
nesting deeper than 64 levels is refused (PHP's JSON allows 512).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from kartra_mock.protocol.decoded import LONG_MAX, LONG_MIN, Decoded, Log, PhpValue, show
from kartra_mock.protocol.php import php_float
from kartra_mock.protocol.rules import INVALID_JSON, JSON_BODY

__all__ = ["decode_json"]

_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def decode_json(body: bytes) -> Decoded:
    """Decode a JSON object body into :data:`Params` the way a PHP endpoint would read it.

    Lists become arrays keyed ``"0"``, ``"1"``, …; numbers become PHP's string form of the
    number; ``true`` is ``"1"``, ``false`` and ``null`` are ``""``.

    >>> decode_json(b'{"lead": [{"email": "a@b.c"}], "n": 2.50}').params
    {'lead': {'0': {'email': 'a@b.c'}}, 'n': '2.5'}
    """
    log = Log()
    log.add(JSON_BODY, f"JSON body of {len(body)} bytes")
    try:
        text = body.decode()
        if not text.lstrip(" \t\n\r").startswith("{"):
            raise ValueError("the top level is not a JSON object")
        document = json.loads(
            text, parse_int=_json_int, parse_float=_json_float, parse_constant=_no_constant
        )
        if not isinstance(document, dict):
            raise ValueError(f"the top level is a {type(document).__name__}, not an object")
        value = _from_json(document, 0, _LONE_SURROGATE_ESCAPE.search(text) is not None)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        log.add(INVALID_JSON, show(str(error)) if str(error) else type(error).__name__)
        return Decoded({}, log.warnings())
    return Decoded(value if isinstance(value, dict) else {}, log.warnings())


def _from_json(item: object, depth: int, check: bool) -> PhpValue:
    """A decoded JSON value as a :data:`PhpValue`; ``check``: look for lone surrogates."""
    if isinstance(item, str):
        return _checked(item, check)
    if not isinstance(item, dict | list):
        return "1" if item is True else ""  # numbers are strings already; false, null
    if depth > 64:
        raise ValueError("nested deeper than 64 levels (PHP's max_input_nesting_level)")
    pairs: Iterable[tuple[object, object]] = (
        item.items() if isinstance(item, dict) else enumerate(item)
    )
    return {_checked(str(key), check): _from_json(value, depth + 1, check) for key, value in pairs}


def _checked(text: str, check: bool) -> str:
    if check:
        text.encode()  # a lone surrogate (PHP: JSON_ERROR_UTF16) raises UnicodeEncodeError
    return text


def _json_int(literal: str) -> str:
    if len(literal) <= 20 and LONG_MIN <= (number := int(literal)) <= LONG_MAX:
        return str(number)
    return php_float(float(literal))  # PHP's json_decode reads a too-large int as a float


def _json_float(literal: str) -> str:
    return php_float(float(literal))


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")
