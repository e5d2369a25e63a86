"""Request bodies exactly as PHP's ``http_build_query`` writes them (docs/behaviour.md#wire).

Kartra's own sample code posts ``http_build_query($array)``, so that is the byte-for-byte
format this client sends: RFC 1738 encoding (space as ``+``, everything but
``A-Za-z0-9_.-`` percent-encoded, brackets included), nested maps as ``[key]``, lists as
``[0]``, ``[1]``…, ``&`` between pairs, keys in insertion order. Like PHP, ``None`` and
empty lists or maps send nothing, ``True``/``False`` send ``1``/``0`` and floats are
written with PHP's 14 significant digits.

Example::

    >>> http_build_query({"lead": {"email": "a@b.c"}, "actions": [{"cmd": "create_lead"}]})
    'lead%5Bemail%5D=a%40b.c&actions%5B0%5D%5Bcmd%5D=create_lead'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["Params", "encode_body", "http_build_query", "lead_params", "php_urlencode"]

#: A call's parameters: strings, numbers, booleans, ``None``, and nested maps and lists of them.
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


def _php_float(value: float) -> str:
    """A float as PHP writes it in a query string (``precision=14``: ``1.0E+25``, ``0.1``)."""
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
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
        return _php_float(value)
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
    """PHP's ``http_build_query($params)``, byte for byte (``&`` separator, RFC 1738)."""
    pairs: list[str] = []
    for key, value in params.items():
        _walk(php_urlencode(str(key)), value, pairs)
    return "&".join(pairs)


def encode_body(params: Params) -> bytes:
    """The request body for ``params``: :func:`http_build_query` as ASCII bytes."""
    return http_build_query(params).encode("ascii")


def lead_params(lead: Params) -> dict[str, object]:
    """A ``lead`` map as Kartra wants it: ``custom_fields`` given as a map become a list.

    ``{"custom_fields": {"text1": "hi", "checkbox1": [620]}}`` is sent as
    ``lead[custom_fields][0][field_identifier]=text1&lead[custom_fields][0][field_value]=hi``
    and ``…[1][field_value][0]=620`` (docs/behaviour.md#custom-fields). A list is sent as given.
    """
    out = dict(lead)
    fields = out.get("custom_fields")
    if isinstance(fields, Mapping):
        out["custom_fields"] = [
            {"field_identifier": str(identifier), "field_value": value}
            for identifier, value in fields.items()
        ]
    return out
