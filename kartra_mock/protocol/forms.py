"""Request decoding exactly as PHP 8 builds ``$_GET``, ``$_POST`` and ``$_REQUEST``.

Pure functions from bytes to :data:`Params`, with a
:class:`~kartra_mock.protocol.rules.ContractWarning` for every departure PHP tolerates
(docs/behaviour.md#wire). Nothing here raises, whatever the input.
PHP 8.2 is the oracle (tests/kartra_mock/test_forms_php_oracle.py). Where we differ:

- PHP keeps raw bytes; we read UTF-8 with U+FFFD, so keys that differ only in invalid
  bytes become one key;
- PHP puts no JSON in ``$_POST``; we read it as ``json_decode($body, true)`` with strings
  from ``(string)`` casts, and refuse nesting deeper than 64 (PHP's JSON allows 512);
- multipart: see :mod:`kartra_mock.protocol.multipart`.

Example::

    >>> decode_body(b"lead[email]=a%40b.c&actions[]=x", "application/x-www-form-urlencoded").params
    {'lead': {'email': 'a@b.c'}, 'actions': {'0': 'x'}}
"""

from __future__ import annotations

import binascii
import re

from kartra_mock.protocol import multipart
from kartra_mock.protocol.decoded import LONG_MAX, LONG_MIN, Decoded, Log, Params, PhpValue, show
from kartra_mock.protocol.json_body import decode_json
from kartra_mock.protocol.rules import (
    BODY_TOO_LARGE,
    FILE_UPLOAD,
    INVALID_MULTIPART,
    INVALID_PERCENT_ENCODING,
    INVALID_UTF8,
    MANGLED_NAME,
    NESTING_TOO_DEEP,
    TOO_MANY_VARS,
    UNSUPPORTED_CONTENT_TYPE,
)

__all__ = [
    "POST_MAX_SIZE",
    "Decoded",
    "Params",
    "PhpValue",
    "decode_body",
    "decode_json",
    "decode_multipart",
    "merge_request",
    "parse_str",
]


POST_MAX_SIZE = 8 * 1024 * 1024
"""PHP's default ``post_max_size``: a larger body is dropped whole."""

_MAX_FILE_UPLOADS = 20  # PHP's default; with max_input_vars it bounds multipart parts
_INT_KEY = re.compile(r"0|-?[1-9][0-9]{0,18}")
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_AMPERSAND_RUNS = re.compile(rb"&&+")
# Names, each followed by NUL, that PHP takes as they are: a base without " ", ".", "[",
# "]" and keys without brackets or white space, nothing after the last "]" (names that
# hold "__" take the long way too, for the __Host-/__Secure- rule).
_PLAIN_NAMES = re.compile(r"(?:[^\[\]\s.\x00]++(?:\[[^\[\]\s\x00]*+\])*+\x00)*+")
_FORBIDDEN_PREFIXES = ("__Host-", "__Secure-")
_MEDIA_TYPE_END = re.compile(r"[;, ]")
_C_SPACES = (" ", "\t", "\n", "\v", "\f", "\r")


def parse_str(
    data: bytes, *, max_vars: int = 1000, max_nesting: int = 64, post: bool = False
) -> Decoded:
    """Decode ``a=1&b[c]=2`` as PHP 8's ``parse_str`` (and ``$_GET``) does.

    With ``post=True``, as PHP fills ``$_POST`` from an ``application/x-www-form-urlencoded``
    body instead; the two differ only at the edges: ``parse_str`` stops at a raw NUL byte,
    skips empty pairs (``&&``) and keeps ``max_vars`` pairs, while ``$_POST`` counts empty
    pairs and keeps ``max_vars + 1`` (it registers a pair before checking the count).

    >>> parse_str(b"a[]=1&a[]=2&b.c=+x%21").params
    {'a': {'0': '1', '1': '2'}, 'b_c': ' x!'}
    """
    log = Log()
    keep = max_vars + 1 if post else max_vars
    if not post:
        # parse_str() reads a C string and strtok() drops empty pairs without counting them.
        data = _AMPERSAND_RUNS.sub(b"&", data.split(b"\0", 1)[0]).strip(b"&")
    pairs = data.split(b"&", keep)
    rest = pairs.pop() if len(pairs) > keep else None
    if rest is None and pairs[-1] == b"":
        pairs.pop()  # PHP's $_POST reader stops at the end; "a=1&" has one pair, "" none
    dropped = rest.count(b"&") + (not rest.endswith(b"&")) if rest else 0
    if dropped or len(pairs) > max_vars:
        total = len(pairs) + dropped
        log.add(TOO_MANY_VARS, f"{total} variables; {total - len(pairs)} beyond the limit dropped")
    texts = _texts([part for pair in pairs for part in pair.partition(b"=")[::2]], log)
    registry = _Registry({}, log, max_nesting)
    registry.register_all(texts[0::2], texts[1::2])
    return Decoded(registry.params, log.warnings())


def _texts(raw: list[bytes], log: Log) -> list[str]:
    """Names and values url-decoded (PHP's php_url_decode) and read as UTF-8.

    ``+`` is a space, ``%XX`` a byte and any other ``%`` stays as it is. All parts are
    decoded in one go: joined by ``&``, which none of them holds before decoding.
    """
    if not raw:
        return []
    joined = b"&".join(raw)
    if b"%26" in joined:  # a decoded "&" would split a part: decode them one by one
        return [_text(_percent_decode(part, log), log) for part in raw]
    texts = _text(_percent_decode(joined, log), log).split("&")
    return texts if len(texts) == len(raw) else [_text(_percent_decode(p, log), log) for p in raw]


def _percent_decode(raw: bytes, log: Log) -> bytes:
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")
    if b"%" not in raw:
        return raw
    # binascii's quoted-printable decoder does %XX in C once "%" is "=": a literal "=" is
    # "=3D" and a "%" that starts no escape "=25" first, so its other rules never apply.
    literal = _BAD_PERCENT.split(raw.replace(b"=", b"=3D") if b"=" in raw else raw)
    if len(literal) > 1:
        bad = _BAD_PERCENT.search(raw)
        shown = show(raw[bad.start() : bad.start() + 3].decode("latin-1")) if bad else "'%'"
        more = f" (and {len(literal) - 2} more)" if len(literal) > 2 else ""
        log.add(INVALID_PERCENT_ENCODING, shown + more)
    return binascii.a2b_qp(b"=25".join(literal).replace(b"%", b"="))


def _text(raw: bytes, log: Log) -> str:
    try:
        return raw.decode()
    except UnicodeDecodeError as error:
        text = raw.decode(errors="replace")
        # Only the bad bytes: the text around them may be the api_password (journal, logs).
        log.add(INVALID_UTF8, f"{show(raw[error.start : error.end])} read with U+FFFD")
        return text


def _int_key(key: str) -> int | None:
    """The integer PHP's symtable uses for ``key``, if it is a canonical decimal integer."""
    if _INT_KEY.fullmatch(key) is None:
        return None
    number = int(key)
    return number if LONG_MIN <= number <= LONG_MAX else None


def _forbidden(key: str, name: str) -> bool:
    """PHP drops a key that mangling (alone) made start with ``__Host-``/``__Secure-``."""
    return key.startswith(_FORBIDDEN_PREFIXES) and not any(
        key.startswith(prefix) and name.startswith(prefix) for prefix in _FORBIDDEN_PREFIXES
    )


class _Registry:
    """PHP's php_register_variable_ex: one name and value at a time into nested arrays."""

    __slots__ = ("_log", "_max_nesting", "_next", "params")

    def __init__(self, params: Params, log: Log, max_nesting: int) -> None:
        self.params = params
        self._log = log
        self._max_nesting = max_nesting
        # nNextFreeElement of each array that was appended to, keyed by id(); the array is
        # kept in the tuple so that its id cannot be reused while this registry lives.
        self._next: dict[int, tuple[Params, int]] = {}

    def register_all(self, names: list[str], values: list[str]) -> None:
        """Store each value under its PHP variable name (``a``, ``a[b][]``, …), in order."""
        joined = "\0".join(names) + "\0"
        if (
            "__" in joined
            or joined.count("\0") != len(names)  # a name holds a NUL
            or _PLAIN_NAMES.fullmatch(joined) is None
        ):
            for name, value in zip(names, values, strict=True):
                self.register(name, value)
            return
        params = self.params
        for name, value in zip(names, values, strict=True):
            bracket = name.find("[")
            if bracket < 0:
                params[name] = value
                continue
            keys = name[bracket + 1 : -1].split("][")
            if len(keys) > self._max_nesting or self._next or "" in keys:
                self.register(name, value)
                continue
            table, index = params, name[:bracket]
            for key in keys:  # the common case: no mangling, no "[]", no limit in sight
                child = table.get(index)
                if not isinstance(child, dict):
                    child = table[index] = {}
                table, index = child, key
            table[index] = value

    def _mangled(self, name: str, why: str) -> None:
        self._log.add(MANGLED_NAME, f"{show(name)}: {why}")

    def register(self, name: str, value: str) -> None:
        """Store ``value`` under the PHP variable ``name`` (``a``, ``a[b][]``, …)."""
        if "\0" in name:
            self._mangled(name, "cut at the NUL byte")
            name = name.split("\0", 1)[0]
        if name.startswith(" "):
            self._mangled(name, "leading spaces skipped")
            name = name.lstrip(" ")
        bracket = name.find("[")
        base = name if bracket < 0 else name[:bracket]
        top = base.replace(" ", "_").replace(".", "_")
        if top != base:
            self._mangled(name, "' ' and '.' in the name became '_'")
        if not top:
            if name or value:
                self._mangled(name, "empty variable name; dropped")
            return
        table, level = self.params, 0
        index: str | None = top
        while bracket >= 0:
            level += 1
            if level > self._max_nesting:
                self.params.pop(top, None)
                self._log.add(NESTING_TOO_DEEP, f"{show(name)}: {top!r} dropped")
                return
            start = bracket + 1
            # PHP skips one isspace() character before looking for "]", yet keeps it in a
            # key: "a[ ]" appends, "a[ x]" is key " x".
            after_space = start + 1 if name.startswith(_C_SPACES, start) else start
            key: str | None = None
            if name.startswith("]", after_space):
                close = after_space
            else:
                close = name.find("]", after_space)
                if close < 0:
                    self._mangled(name, "unclosed '['")
                    if level == 1:
                        rest = name[start:].replace(" ", "_").replace(".", "_").replace("[", "_")
                        index = f"{top}_{rest}"
                    break
                key = name[start:close]
            child = self._child(table, index, name)
            if child is None:
                return
            table, index = child, key
            bracket = close + 1
            if not name.startswith("[", bracket):
                if bracket < len(name):
                    self._mangled(name, f"{name[bracket:]!r} after the last ']' ignored")
                break
        self._assign(table, index, name, value)

    def _child(self, table: Params, index: str | None, name: str) -> Params | None:
        if index is None:
            child: Params = {}
            return child if self._append(table, child, name) else None
        if _forbidden(index, name):
            self._mangled(name, f"{index!r} would forge a __Host-/__Secure- name; dropped")
            return None
        found = table.get(index)
        if isinstance(found, dict):
            return found
        child = {}
        self._put(table, index, child)
        return child

    def _assign(self, table: Params, index: str | None, name: str, value: str) -> None:
        if index is None:
            self._append(table, value, name)
        elif _forbidden(index, name):
            self._mangled(name, f"{index!r} would forge a __Host-/__Secure- name; dropped")
        else:
            self._put(table, index, value)

    def _put(self, table: Params, key: str, value: PhpValue) -> None:
        table[key] = value
        tracked = self._next.get(id(table))
        if tracked is not None:
            number = _int_key(key)
            if number is not None and number >= tracked[1]:
                self._next[id(table)] = (table, min(number + 1, LONG_MAX))

    def _append(self, table: Params, value: PhpValue, name: str) -> bool:
        tracked = self._next.get(id(table))
        if tracked is None:
            numbers = [n for n in map(_int_key, table) if n is not None]
            tracked = (table, min(max(numbers) + 1, LONG_MAX) if numbers else 0)
            self._next[id(table)] = tracked
        key = str(tracked[1])
        if key in table:  # only when the array already holds PHP_INT_MAX
            self._mangled(name, "no free integer key left for '[]'; dropped")
            return False
        self._put(table, key, value)
        return True


def decode_multipart(
    body: bytes, content_type: str, *, max_vars: int = 1000, max_nesting: int = 64
) -> Decoded:
    """Decode a ``multipart/form-data`` body as PHP 8 fills ``$_POST`` (files are ignored).

    >>> decode_multipart(
    ...     b'--x\\r\\nContent-Disposition: form-data; name="a[]"\\r\\n\\r\\n1\\r\\n--x--\\r\\n',
    ...     "multipart/form-data; boundary=x",
    ... ).params
    {'a': {'0': '1'}}
    """
    log = Log()
    params: Params = {}
    boundary = multipart.boundary_of(content_type)
    if isinstance(boundary, str):
        log.add(INVALID_MULTIPART, boundary)
        return Decoded(params, log.warnings())
    found = multipart.split(body, boundary, max_parts=max_vars + _MAX_FILE_UPLOADS)
    registry = _Registry(params, log, max_nesting)
    fields = 0
    for part in found.parts:
        name = _text(part.name or b"", log)
        if part.filename is not None:
            log.add(FILE_UPLOAD, f"file part {show(name)} ignored")
            continue
        fields += 1
        if fields <= max_vars:
            registry.register(name, _text(part.value, log))
    if fields > max_vars:
        log.add(TOO_MANY_VARS, f"{fields} fields; {fields - max_vars} beyond the limit dropped")
    if found.parts_limit_hit:
        limit = max_vars + _MAX_FILE_UPLOADS
        log.add(TOO_MANY_VARS, f"more than {limit} parts; the rest of the body was ignored")
    for fault in found.faults:
        log.add(INVALID_MULTIPART, fault)
    return Decoded(params, log.warnings())


def _media_type(content_type: str) -> str:
    """The media type as PHP's SAPI reads it: lower case, cut at ``;``, ``,`` or a space."""
    return _MEDIA_TYPE_END.split(content_type.strip(" \t"), maxsplit=1)[0].lower()


def decode_body(body: bytes, content_type: str | None) -> Decoded:
    """Decode a request body according to its Content-Type, as ``$_POST`` would hold it.

    >>> decode_body(b'{"app_id": "x"}', "application/json; charset=UTF-8").params
    {'app_id': 'x'}
    """
    if not body:
        return Decoded({}, ())
    if len(body) > POST_MAX_SIZE:
        warning = BODY_TOO_LARGE.warn(f"{len(body)} bytes; the limit is {POST_MAX_SIZE}")
        return Decoded({}, (warning,))
    media = _media_type(content_type or "")
    if media == "application/x-www-form-urlencoded":
        return parse_str(body, post=True)
    if media == "multipart/form-data":
        return decode_multipart(body, content_type or "")
    if media == "application/json" or media.endswith("+json"):
        return decode_json(body)
    shown = show(content_type) if content_type is not None else "no Content-Type"
    return Decoded({}, (UNSUPPORTED_CONTENT_TYPE.warn(f"{shown}; {len(body)} bytes ignored"),))


def merge_request(query: Decoded, body: Decoded) -> Decoded:
    """PHP's ``$_REQUEST``: the query's parameters with the body's merged over them.

    Arrays present on both sides merge key by key (php_autoglobal_merge); anything else from
    the body replaces what the query had.

    >>> merge_request(parse_str(b"a[x]=1&b=2"), parse_str(b"a[y]=3&b=4")).params
    {'a': {'x': '1', 'y': '3'}, 'b': '4'}
    """
    return Decoded(_merge(query.params, body.params), query.warnings + body.warnings)


def _merge(into: Params, over: Params) -> Params:
    merged = dict(into)
    for key, value in over.items():
        current = merged.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merged[key] = _merge(current, value)
        else:
            merged[key] = value
    return merged
