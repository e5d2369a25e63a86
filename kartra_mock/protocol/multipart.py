"""PHP's multipart/form-data reader (``main/rfc1867.c``), as a pure function over bytes.

This module only frames the body into parts the way PHP 8 does; naming rules, limits on
variables and contract warnings live in :mod:`kartra_mock.protocol.forms`. PHP's reader is lenient,
and so is this one:

- a part starts after a line that is exactly ``--boundary`` (``\\r`` before ``\\n`` dropped),
  so a preamble is skipped, and a closing ``--boundary--`` ends nothing: a later
  ``--boundary`` line starts another part;
- a part's data ends at the next ``\\n--boundary`` (one ``\\r`` before it is dropped) or, if
  there is none, at the end of the body (minus a boundary cut short there);
- header lines that start with white space or lack ``:`` continue the previous header;
- a ``Content-Disposition`` without ``name`` and ``filename`` stops the reading ("garbled").

Known difference: PHP reads through a 5 KiB buffer and splits longer header lines; this
reader does not.

Example::

    >>> split(b'--b\\r\\nContent-Disposition: form-data; name="a"\\r\\n\\r\\n1\\r\\n--b--', b"b",
    ...       max_parts=1020).parts
    (Part(name=b'a', filename=None, value=b'1'),)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_SECTIONS", "Multipart", "Part", "boundary_of", "split"]

MAX_SECTIONS = 50_000
"""Our own safety stop: PHP reads header sections without a Content-Disposition without
end; we stop after this many, so that an 8 MiB body of tiny sections stays fast."""

_C_SPACE = b" \t\n\v\f\r"
# The line that ends a header section: empty (after dropping "\r") or, as a C string, empty.
_HEADERS_END = re.compile(rb"\n(?=\r?\n|\x00)")
_DISPOSITION = re.compile(rb"^content-disposition:", re.IGNORECASE | re.MULTILINE)
# A header line that starts a new entry: no leading white space and a ':' in its C string,
# its first byte included (a line ":" is a new entry with an empty name, not a continuation).
_ENTRY = re.compile(rb"\n(?![ \t\n\v\f\r])[^\n\x00:]*+:")
# php_ap_getword(…, ';'): up to a ';' outside quotes; in quotes, \" does not close.
_WORD = rb"""(?:[^;"']++|"(?:[^"\\]++|\\"|\\)*+"?|'(?:[^'\\]++|\\'|\\)*+'?)*+"""
_PARAMETER = re.compile(_WORD)
_NAME_KEY = re.compile(rb"(name|filename)=", re.IGNORECASE)
# Skips, in one go, every parameter that is not name=… or filename=…
_OTHER_PARAMETERS = re.compile(rb"(?:(?!(?i:name|filename)=)" + _WORD + rb"[; \t\n\v\f\r]++)*+")
_WHITE = re.compile(rb"[ \t\n\v\f\r]")
_SEPARATORS = re.compile(rb"[; \t\n\v\f\r]*+")
_LINE_ENDS = (b"\n", b"\r\n", b"\0")
# php_ap_getword_conf: the closing quote is one after an even run of backslashes.
_CLOSING = {q: re.compile(rb"(?<!\\)(?:\\\\)*+" + q) for q in (b'"', b"'")}


@dataclass(frozen=True, slots=True)
class Part:
    """One part with a Content-Disposition: a form field, or a file (value not kept)."""

    name: bytes | None
    filename: bytes | None
    value: bytes


@dataclass(frozen=True, slots=True)
class Multipart:
    """The parts PHP would read, in order, and what went wrong while reading them."""

    parts: tuple[Part, ...]
    faults: tuple[str, ...]
    parts_limit_hit: bool = False


def boundary_of(content_type: str) -> bytes | str:
    """The boundary PHP takes from a Content-Type value, or a message saying why there is none.

    PHP looks for ``boundary`` anywhere in the value (case-sensitively first, then not), takes
    what follows the next ``=``, up to a closing ``"`` if it starts with one, else up to
    ``,`` or ``;``.
    """
    raw = content_type.encode("latin-1", "replace").split(b"\0", 1)[0]
    at = raw.find(b"boundary")
    if at < 0:
        at = raw.lower().find(b"boundary")
    equals = raw.find(b"=", at) if at >= 0 else -1
    if equals < 0:
        return "missing boundary in the multipart/form-data Content-Type"
    boundary = raw[equals + 1 :]
    if boundary.startswith(b'"'):
        end = boundary.find(b'"', 1)
        if end < 0:
            return "invalid (unterminated quoted) boundary in the Content-Type"
        return boundary[1:end]
    return re.split(rb"[,;]", boundary, maxsplit=1)[0]


class _Finder:
    """``body.find(needle, pos)`` for positions that only grow: each byte is scanned once."""

    __slots__ = ("_at", "_body", "_needle")

    def __init__(self, body: bytes, needle: bytes) -> None:
        self._body, self._needle, self._at = body, needle, -2

    def find(self, pos: int) -> int:
        if self._at == -1 or self._at >= pos:
            return self._at
        self._at = self._body.find(self._needle, pos)
        return self._at


def split(body: bytes, boundary: bytes, *, max_parts: int) -> Multipart:
    """Read ``body`` into parts as PHP does; stop after ``max_parts`` Content-Dispositions.

    ``max_parts`` is PHP's ``max_multipart_body_parts`` (by default ``max_input_vars`` plus
    ``max_file_uploads``, 1020). Never raises.
    """
    delimiter = b"--" + boundary
    # PHP compares a whole line, as a C string, with the delimiter: it must end there.
    line_finders = [_Finder(body, b"\n" + delimiter + end) for end in (b"\n", b"\r\n", b"\0")]
    data_end = _Finder(body, b"\n" + delimiter)
    parts: list[Part] = []
    faults: list[str] = []
    limit_hit = False
    pos, size, sections = 0, len(body), 0
    while pos < size:
        start = _find_boundary(body, pos, delimiter, line_finders)
        if start < 0:
            if not sections and delimiter + b"--" not in body:  # not even an empty form
                faults.append("no boundary line found in the body")
            break
        sections += 1
        if sections > MAX_SECTIONS:
            faults.append(f"more than {MAX_SECTIONS} header sections; the rest was ignored")
            break
        end, pos = _header_section(body, start)
        disposition = _content_disposition(body, start, end)
        if disposition is None:
            continue
        if len(parts) >= max_parts:
            limit_hit = True
            break
        name, filename = _names(disposition)
        if name is None and filename is None:
            faults.append("a Content-Disposition without name or filename; reading stopped")
            break
        value, pos, complete = _read_data(body, pos, data_end, b"\n" + delimiter)
        if not complete:
            faults.append("the last part is not closed by a boundary")
        parts.append(Part(name, filename, value if filename is None else b""))
    return Multipart(tuple(parts), tuple(faults), limit_hit)


def _find_boundary(body: bytes, pos: int, delimiter: bytes, finders: list[_Finder]) -> int:
    """Where the line after the next ``--boundary`` line starts, or -1 (PHP's find_boundary).

    ``pos`` counts as the start of a line. An unterminated last line never counts (PHP's
    next_line() does not return it).
    """
    if body.startswith(delimiter, pos) and body.startswith(_LINE_ENDS, pos + len(delimiter)):
        line = pos
    else:
        found = [at for finder in finders if (at := finder.find(pos)) >= 0]
        if not found:
            return -1
        line = min(found) + 1
    newline = body.find(b"\n", line + len(delimiter))
    return newline + 1 if newline >= 0 else -1


def _header_section(body: bytes, start: int) -> tuple[int, int]:
    """The end of the header lines starting at ``start`` and where the part's data starts."""
    if body.startswith((b"\n", b"\r\n", b"\x00"), start):
        stop = start
    else:
        found = _HEADERS_END.search(body, start)
        if found is None:
            last = body.rfind(b"\n", start)
            data = last + 1 if last >= 0 else start
            return data, data
        stop = found.start() + 1
    newline = body.find(b"\n", stop)
    return stop, (newline + 1 if newline >= 0 else stop)


def _c_lines(lines: bytes) -> bytes:
    """Header lines (each ending in ``\\n``) joined as PHP joins continued lines.

    Each line is a C string: one ``\\r`` before its ``\\n`` is dropped and a NUL ends it.
    """
    if b"\0" not in lines:
        return lines.replace(b"\r\n", b"").replace(b"\n", b"")
    return b"".join(
        (line[:-1] if line.endswith(b"\r") else line).split(b"\0", 1)[0]
        for line in lines.split(b"\n")[:-1]
    )


def _content_disposition(body: bytes, start: int, end: int) -> bytes | None:
    """The first Content-Disposition header's value in ``body[start:end]``, with continuations."""
    found = _DISPOSITION.search(body, start, end)
    if found is None:
        return None
    line_end = body.find(b"\n", found.end(), end)  # always found: sections end in "\n"
    line_end = end - 1 if line_end < 0 else line_end
    following = _ENTRY.search(body, line_end, end)
    stop = end if following is None else following.start() + 1
    return _c_lines(body[found.end() : line_end + 1]).lstrip(_C_SPACE) + _c_lines(
        body[line_end + 1 : stop]
    )


def _names(disposition: bytes) -> tuple[bytes | None, bytes | None]:
    """The ``name`` and ``filename`` parameters, read with PHP's php_ap_getword rules."""
    found: dict[bytes, bytes] = {}
    pos = len(disposition) - len(disposition.lstrip(_C_SPACE))
    while True:
        pos = _end(_OTHER_PARAMETERS.match(disposition, pos), pos)
        key = _NAME_KEY.match(disposition, pos)
        if key is None:
            return found.get(b"name"), found.get(b"filename")
        pos = _end(_PARAMETER.match(disposition, pos), len(disposition))
        found[key.group(1).lower()] = _getword_conf(disposition[key.end() : pos].lstrip(b"="))
        pos = _end(_SEPARATORS.match(disposition, pos), pos)


def _end(match: re.Match[bytes] | None, default: int) -> int:
    return match.end() if match is not None else default


def _getword_conf(value: bytes) -> bytes:
    """PHP's php_ap_getword_conf: a quoted string (backslash escapes) or a bare word."""
    value = value.lstrip(_C_SPACE)
    quote = value[:1]
    if quote in (b'"', b"'"):
        closing = _CLOSING[quote].search(value, 1)
        inner = value[1 : closing.end() - 1] if closing is not None else value[1:]
        # Left to right, "\\\\" is "\\" and "\\" + quote is the quote; every quote in
        # ``inner`` follows an odd run of backslashes, so two replaces do the same.
        return inner.replace(b"\\\\", b"\\").replace(b"\\" + quote, quote)
    return _WHITE.split(value, maxsplit=1)[0].replace(b"\\\\", b"\\")


def _read_data(body: bytes, pos: int, data_end: _Finder, needle: bytes) -> tuple[bytes, int, bool]:
    """A part's data, where reading goes on, and whether a boundary closed it."""
    end = data_end.find(pos)
    complete = end >= 0
    if not complete:
        # PHP's php_ap_memstr also stops at a boundary cut short by the end of the body;
        # the needle has one newline, at its start, so only the last newline can begin one.
        end = len(body)
        last = body.rfind(b"\n", max(pos, len(body) - len(needle) + 1))
        if last >= 0 and needle.startswith(body[last:]):
            end = last
    value = body[pos:end]
    if end < len(body) and value.endswith(b"\r"):
        value = value[:-1]
    return value, end, complete
