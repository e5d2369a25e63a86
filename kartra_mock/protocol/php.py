"""PHP's own ways of writing values, which Kartra's side of the wire speaks.

One home for what both directions need: the mock writes decoded JSON numbers as PHP would
(``(string)`` of a float), and the reference client writes request bodies with PHP's
``http_build_query``, the format of Kartra's own sample code (docs/behaviour.md#wire).

Example::

    >>> http_build_query({"lead": {"email": "a@b.c"}, "actions": [{"cmd": "create_lead"}]})
    'lead%5Bemail%5D=a%40b.c&actions%5B0%5D%5Bcmd%5D=create_lead'
    >>> php_float(1e25), php_float(0.1 + 0.2)
    ('1.0E+25', '0.3')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["Params", "http_build_query", "php_float", "php_urlencode"]

#: Parameters as PHP arrays hold them: strings, numbers, booleans, ``None``, nested maps/lists.
Params = Mapping[str, object]

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_TABLE: tuple[str, ...] = tuple(
    chr(byte) if byte in _UNRESERVED else "+" if byte == 0x20 else f"%{byte:02X}"
    for byte in range(256)
)


def php_urlencode(value: str | bytes) -> str:
    """PHP's ``urlencode``: RFC 1738, space as ``+`` (strings are encoded as UTF-8)."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return "".join(_TABLE[byte] for byte in raw)


def php_float(value: float) -> str:
    """PHP 8's ``(string)`` of a float (``precision=14``): ``0.3``, ``1.0E+25``, ``-0``, ``INF``."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    whole = abs(value)
    if whole.is_integer() and 1e14 <= whole < 1e15 and whole % 20 == 5:
        # A tie at the 15th digit that rounds down (half to even): zend_dtoa takes its exact
        # integer path, which keeps the 14th digit's trailing zeros (362587690236505.0 is
        # 3.6258769023650E+14; observed with PHP 8.2, tests/kartra_mock/client/test_encoding.py).
        digits = str(int(whole) // 10)
        return f"{'-' if value < 0 else ''}{digits[0]}.{digits[1:]}E+14"
    text = f"{value:.14G}"
    if "E" not in text:
        return text
    mantissa, exponent = text.split("E")
    if "." not in mantissa:
        mantissa += ".0"
    sign = "-" if exponent.startswith("-") else "+"
    return f"{mantissa}E{sign}{int(exponent.lstrip('+-'))}"


def _scalar(value: object, where: str) -> str | bytes:
    if isinstance(value, str | bytes):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return php_float(value)
    raise TypeError(
        f"{where}: cannot send a {type(value).__name__}; use str, int, float, bool, None, "
        "or a map or list of them"
    )


def _walk(prefix: str, value: object, pairs: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _walk(f"{prefix}%5B{php_urlencode(str(key))}%5D", item, pairs)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for index, item in enumerate(value):
            _walk(f"{prefix}%5B{index}%5D", item, pairs)
    else:
        pairs.append(f"{prefix}={php_urlencode(_scalar(value, prefix))}")


def http_build_query(params: Params) -> str:
    """PHP's ``http_build_query($params)``, byte for byte (``&`` separator, RFC 1738).

    Like PHP, ``None`` and empty lists or maps send nothing, ``True``/``False`` send
    ``1``/``0``, and keys keep their insertion order.
    """
    pairs: list[str] = []
    for key, value in params.items():
        _walk(php_urlencode(str(key)), value, pairs)
    return "&".join(pairs)
