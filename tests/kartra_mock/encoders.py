"""How real clients encode nested parameters, for round-trip tests of
:mod:`kartra_mock.protocol.forms`.

Each encoder takes a nested structure (dicts with str keys and str leaves, as
:data:`kartra_mock.protocol.forms.PhpValue`) and returns the body a given client library would send:

- :func:`http_build_query`: PHP's ``http_build_query`` (RFC 1738: space is ``+``, brackets
  ``%5B``/``%5D``, everything but ``A-Za-z0-9_.-`` percent-encoded);
- :func:`qs_stringify`: the JS ``qs`` package's default (RFC 3986 ``encodeURIComponent``
  style: space is ``%20``, ``A-Za-z0-9-_.~`` kept, brackets encoded, ``a[0]=`` indices);
- :func:`url_search_params`: ``new URLSearchParams(flatPairs).toString()`` on keys already
  flattened to ``a[b][c]`` (space is ``+``, ``*-._`` and alphanumerics kept);
- :func:`raw_brackets`: unencoded ``[`` and ``]`` in keys, values percent-encoded;
- :func:`multipart_form`: ``multipart/form-data`` as PHP cURL sends an array.
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus

from kartra_mock.protocol.forms import PhpValue

__all__ = [
    "flatten",
    "http_build_query",
    "multipart_form",
    "qs_stringify",
    "raw_brackets",
    "url_search_params",
]


def flatten(params: dict[str, PhpValue]) -> list[tuple[list[str], str]]:
    """Each leaf as (its path of keys, its value), in order: ``{"a": {"b": "1"}}`` is
    ``[(["a", "b"], "1")]``."""
    leaves: list[tuple[list[str], str]] = []
    stack: list[tuple[list[str], PhpValue]] = [([key], value) for key, value in params.items()]
    stack.reverse()
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            leaves.append((path, value))
        else:
            children = [([*path, key], child) for key, child in value.items()]
            stack.extend(reversed(children))
    return leaves


def _php_urlencode(text: str) -> str:
    """PHP's ``urlencode``: ``A-Za-z0-9_.-`` kept, space ``+``, all else ``%XX`` (UTF-8)."""
    return quote_plus(text, safe="", encoding="utf-8").replace("~", "%7E")


def http_build_query(params: dict[str, PhpValue]) -> bytes:
    """PHP's ``http_build_query($params)`` (default ``PHP_QUERY_RFC1738``, ``&``)."""
    pairs = []
    for path, value in flatten(params):
        base, *keys = path
        name = _php_urlencode(base) + "".join(f"%5B{_php_urlencode(key)}%5D" for key in keys)
        pairs.append(f"{name}={_php_urlencode(value)}")
    return "&".join(pairs).encode("ascii")


def _encode_uri_component(text: str) -> str:
    """JS ``encodeURIComponent`` as ``qs`` uses it (RFC 3986: ``A-Za-z0-9-_.~`` kept)."""
    return quote(text, safe="", encoding="utf-8")


def qs_stringify(params: dict[str, PhpValue]) -> bytes:
    """``qs.stringify(params)`` with qs's defaults (brackets encoded, ``a[0]`` indices)."""
    pairs = []
    for path, value in flatten(params):
        base, *keys = path
        name = base + "".join(f"[{key}]" for key in keys)
        pairs.append(f"{_encode_uri_component(name)}={_encode_uri_component(value)}")
    return "&".join(pairs).encode("ascii")


def _form_urlencode(text: str) -> str:
    """The WHATWG application/x-www-form-urlencoded byte serializer (URLSearchParams)."""
    return quote_plus(text, safe="*", encoding="utf-8").replace("~", "%7E")


def url_search_params(params: dict[str, PhpValue]) -> bytes:
    """``new URLSearchParams(pairs).toString()`` where pairs hold flattened ``a[b]`` keys."""
    pairs = []
    for path, value in flatten(params):
        base, *keys = path
        name = base + "".join(f"[{key}]" for key in keys)
        pairs.append(f"{_form_urlencode(name)}={_form_urlencode(value)}")
    return "&".join(pairs).encode("ascii")


def raw_brackets(params: dict[str, PhpValue]) -> bytes:
    """Keys with literal brackets (as curl ``-d 'a[b]=…'`` sends them), values encoded."""
    pairs = []
    for path, value in flatten(params):
        base, *keys = path
        name = base + "".join(f"[{key}]" for key in keys)
        pairs.append(f"{name}={quote_plus(value, safe='', encoding='utf-8')}")
    return "&".join(pairs).encode("utf-8")


def multipart_form(params: dict[str, PhpValue], boundary: str) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body and its Content-Type, one part per leaf.

    ``boundary`` must not occur in any value (the caller picks one that does not).
    """
    parts = []
    for path, value in flatten(params):
        base, *keys = path
        name = base + "".join(f"[{key}]" for key in keys)
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
