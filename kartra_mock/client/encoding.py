"""Request bodies exactly as PHP's ``http_build_query`` writes them (docs/behaviour.md#wire).

Kartra's own sample code posts ``http_build_query($array)``, so that is the byte-for-byte
format this client sends: RFC 1738 encoding (space as ``+``, everything but
``A-Za-z0-9_.-`` percent-encoded, brackets included), nested maps as ``[key]``, lists as
``[0]``, ``[1]``…, ``&`` between pairs, keys in insertion order. Like PHP, ``None`` and
empty lists or maps send nothing, ``True``/``False`` send ``1``/``0`` and floats are
written with PHP's 14 significant digits.

The encoder itself lives in :mod:`kartra_mock.protocol.php`, the one home of PHP's formats.

Example::

    >>> http_build_query({"lead": {"email": "a@b.c"}, "actions": [{"cmd": "create_lead"}]})
    'lead%5Bemail%5D=a%40b.c&actions%5B0%5D%5Bcmd%5D=create_lead'
"""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.protocol.php import Params, http_build_query, php_urlencode

__all__ = ["Params", "encode_body", "http_build_query", "lead_params", "php_urlencode"]


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
