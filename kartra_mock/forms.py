"""Request decoding exactly as PHP 8 builds ``$_GET``, ``$_POST`` and ``$_REQUEST``.

Pure functions from bytes to :data:`Params`, with a :class:`~kartra_mock.rules.ContractWarning`
for every departure PHP tolerates (SPEC §2). Nothing here raises, whatever the input.

Example::

    >>> decode_body(b"lead[email]=a%40b.c&actions[0][cmd]=create_lead", None).params
    {}
    >>> decode_body(b"lead[email]=a%40b.c&actions[]=x", "application/x-www-form-urlencoded").params
    {'lead': {'email': 'a@b.c'}, 'actions': {'0': 'x'}}
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TypeAlias
from urllib.parse import unquote_to_bytes

from kartra_mock import multipart
from kartra_mock.rules import (
    BODY_TOO_LARGE,
    FILE_UPLOAD,
    INVALID_JSON,
    INVALID_MULTIPART,
    INVALID_PERCENT_ENCODING,
    INVALID_UTF8,
    JSON_BODY,
    MANGLED_NAME,
    NESTING_TOO_DEEP,
    TOO_MANY_VARS,
    UNSUPPORTED_CONTENT_TYPE,
    ContractWarning,
    Rule,
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

PhpValue: TypeAlias = "str | dict[str, PhpValue]"
"""A PHP request value: a string, or an array as a dict with str keys in insertion order."""
Params: TypeAlias = "dict[str, PhpValue]"

POST_MAX_SIZE = 8 * 1024 * 1024
"""PHP's default ``post_max_size``: a larger body is dropped whole."""

_MAX_FILE_UPLOADS = 20  # PHP's default; with max_input_vars it bounds multipart parts
_LONG_MAX = 2**63 - 1
_LONG_MIN = -(2**63)
_INT_KEY = re.compile(r"0|-?[1-9][0-9]{0,18}")
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_NOT_AMPERSAND = re.compile(rb"[^&]+")
_AMPERSANDS = re.compile(rb"&*")
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]")
_NEEDS_CARE = re.compile(r"[\[ .\x00]|^__")
_FORBIDDEN_PREFIXES = ("__Host-", "__Secure-")
_C_SPACES = (" ", "\t", "\n", "\v", "\f", "\r")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded request parameters and the contract warnings found while decoding them."""

    params: Params
    warnings: tuple[ContractWarning, ...]


class _Log:
    """Collects warnings: one per rule, with the first detail and a count of the others."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, tuple[Rule, str, int]] = {}

    def add(self, rule: Rule, detail: str) -> None:
        seen = self._seen.get(rule.id)
        self._seen[rule.id] = (rule, detail, 1) if seen is None else (*seen[:2], seen[2] + 1)

    def warnings(self) -> tuple[ContractWarning, ...]:
        return tuple(
            rule.warn(detail if count == 1 else f"{detail} (and {count - 1} more)")
            for rule, detail, count in self._seen.values()
        )


def _show(text: str | bytes) -> str:
    shown = repr(text[:60])
    return shown + "…" if len(text) > 60 else shown


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
    log = _Log()
    params: Params = {}
    registry = _Registry(params, log, max_nesting)
    if not post:
        data = data.split(b"\0", 1)[0]
    keep = max_vars + 1 if post else max_vars
    pos, size, count = 0, len(data), 0
    while pos < size and count < keep:
        end = data.find(b"&", pos)
        end = size if end < 0 else end
        pair, pos = data[pos:end], end + 1
        if not pair and not post:
            # parse_str's strtok() skips runs of separators without counting them.
            pos = _AMPERSANDS.match(data, end).end()
            continue
        count += 1
        name, _, value = pair.partition(b"=")
        registry.register(_text(_urldecode(name, log), log), _text(_urldecode(value, log), log))
    rest = data[pos:] if pos < size else b""
    dropped = _count_pairs(rest, post)
    if dropped or (post and count > max_vars):
        log.add(TOO_MANY_VARS, f"{count + dropped} variables; {dropped} beyond the limit dropped")
    return Decoded(params, log.warnings())


def _count_pairs(rest: bytes, post: bool) -> int:
    if not rest:
        return 0
    if post:
        return rest.count(b"&") + (0 if rest.endswith(b"&") else 1)
    return _NOT_AMPERSAND.subn(b"", rest)[1]


def _urldecode(raw: bytes, log: _Log) -> bytes:
    """PHP's php_url_decode: ``+`` is a space, ``%XX`` a byte, anything else stays as is."""
    if b"+" in raw:
        raw = raw.replace(b"+", b" ")
    if b"%" not in raw:
        return raw
    bad = _BAD_PERCENT.search(raw)
    if bad is not None:
        log.add(INVALID_PERCENT_ENCODING, f"{_show(raw[bad.start() : bad.start() + 3])} kept")
    return unquote_to_bytes(raw)


def _text(raw: bytes, log: _Log) -> str:
    try:
        return raw.decode()
    except UnicodeDecodeError:
        text = raw.decode(errors="replace")
        log.add(INVALID_UTF8, f"{_show(raw)} read as {_show(text)}")
        return text


def _int_key(key: str) -> int | None:
    """The integer PHP's symtable uses for ``key``, if it is a canonical decimal integer."""
    if _INT_KEY.fullmatch(key) is None:
        return None
    number = int(key)
    return number if _LONG_MIN <= number <= _LONG_MAX else None


def _forbidden(key: str, name: str) -> bool:
    """PHP drops a key that mangling (alone) made start with ``__Host-``/``__Secure-``."""
    return key.startswith(_FORBIDDEN_PREFIXES) and not any(
        key.startswith(prefix) and name.startswith(prefix) for prefix in _FORBIDDEN_PREFIXES
    )


class _Registry:
    """PHP's php_register_variable_ex: one name and value into nested arrays."""

    __slots__ = ("_log", "_max_nesting", "_next", "_params")

    def __init__(self, params: Params, log: _Log, max_nesting: int) -> None:
        self._params = params
        self._log = log
        self._max_nesting = max_nesting
        # nNextFreeElement of each array that was appended to, keyed by id(); the array is
        # kept in the tuple so that its id cannot be reused while this registry lives.
        self._next: dict[int, tuple[Params, int]] = {}

    def register(self, name: str, value: str) -> None:
        if _NEEDS_CARE.search(name) is None and name:
            self._params[name] = value
        else:
            self._register(name, value)

    def _mangled(self, name: str, why: str) -> None:
        self._log.add(MANGLED_NAME, f"{_show(name)}: {why}")

    def _register(self, name: str, value: str) -> None:
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
        table, index, level = self._params, top, 0
        while bracket >= 0:
            level += 1
            if level > self._max_nesting:
                self._params.pop(top, None)
                self._log.add(NESTING_TOO_DEEP, f"{_show(name)}: {top!r} dropped")
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
                self._next[id(table)] = (table, min(number + 1, _LONG_MAX))

    def _append(self, table: Params, value: PhpValue, name: str) -> bool:
        tracked = self._next.get(id(table))
        if tracked is None:
            numbers = [n for n in map(_int_key, table) if n is not None]
            tracked = (table, min(max(numbers) + 1, _LONG_MAX) if numbers else 0)
            self._next[id(table)] = tracked
        key = str(tracked[1])
        if key in table:  # only when the array already holds PHP_INT_MAX
            self._mangled(name, "no free integer key left for '[]'; dropped")
            return False
        self._put(table, key, value)
        return True


def decode_json(body: bytes) -> Decoded:
    """Decode a JSON object body into :data:`Params` the way a PHP endpoint would read it.

    Lists become arrays keyed ``"0"``, ``"1"``, …; numbers become PHP's string form of the
    number; ``true`` is ``"1"``, ``false`` and ``null`` are ``""``.

    >>> decode_json(b'{"lead": [{"email": "a@b.c"}], "n": 2.50}').params
    {'lead': {'0': {'email': 'a@b.c'}}, 'n': '2.5'}
    """
    log = _Log()
    log.add(JSON_BODY, f"JSON body of {len(body)} bytes")
    try:
        text = body.decode()
        document = json.loads(
            text, parse_int=_json_int, parse_float=_json_float, parse_constant=_no_constant
        )
        if not isinstance(document, dict):
            raise ValueError(f"the top level is a {type(document).__name__}, not an object")
        check = _LONE_SURROGATE_ESCAPE.search(text) is not None
        params = _from_json(document, 0, check)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        log.add(INVALID_JSON, _show(str(error)) if str(error) else type(error).__name__)
        return Decoded({}, log.warnings())
    return Decoded(params, log.warnings())


def _from_json(document: dict[str, object], depth: int, check: bool) -> Params:
    params: Params = {}
    for key, item in document.items():
        if check:
            key.encode()  # a lone surrogate (PHP: JSON_ERROR_UTF16) raises UnicodeEncodeError
        params[key] = _json_value(item, depth + 1, check)
    return params


def _json_value(item: object, depth: int, check: bool) -> PhpValue:
    if isinstance(item, str):
        if check:
            item.encode()
        return item
    if item is True:
        return "1"
    if item is False or item is None:
        return ""
    if depth > 64:
        raise ValueError("nested deeper than 64 levels (PHP's max_input_nesting_level)")
    if isinstance(item, list):
        return _from_json({str(number): value for number, value in enumerate(item)}, depth, check)
    if isinstance(item, dict):
        return _from_json(item, depth, check)
    return str(item)  # unreachable: the hooks turn every number into a str


def _json_int(literal: str) -> str:
    if len(literal) <= 20 and _LONG_MIN <= (number := int(literal)) <= _LONG_MAX:
        return str(number)
    return _php_float(float(literal))  # PHP's json_decode reads a too-large int as a float


def _json_float(literal: str) -> str:
    return _php_float(float(literal))


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _php_float(number: float) -> str:
    """PHP 8's ``(string)`` of a float: 14 significant digits, ``1.0E+25`` style exponents."""
    if math.isinf(number):
        return "INF" if number > 0 else "-INF"
    if number == 0:
        return "-0" if math.copysign(1, number) < 0 else "0"
    sign = "-" if number < 0 else ""
    mantissa, exponent = f"{abs(number):.13e}".split("e")
    digits = mantissa.replace(".", "").rstrip("0")
    point = int(exponent) + 1
    if point < -3 or point > 14:
        power = point - 1
        return f"{sign}{digits[0]}.{digits[1:] or '0'}E{'-' if power < 0 else '+'}{abs(power)}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    whole, fraction = digits[:point].ljust(point, "0"), digits[point:]
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


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
    log = _Log()
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
            log.add(FILE_UPLOAD, f"file part {_show(name)} ignored")
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
    return re.split(r"[;, ]", content_type.strip(" \t"), maxsplit=1)[0].lower()


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
    shown = _show(content_type) if content_type is not None else "no Content-Type"
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
