"""PHP's multipart/form-data reader (``main/rfc1867.c``), as a pure function over bytes.

This module only frames the body into parts the way PHP 8 does; naming rules, limits on
variables and contract warnings live in :mod:`kartra_mock.forms`. PHP's reader is lenient,
and so is this one:

- a part starts after a line that is exactly ``--boundary`` (``\\r`` before ``\\n`` dropped),
  so a preamble is skipped, and a closing ``--boundary--`` ends nothing: a later
  ``--boundary`` line starts another part;
- a part's data ends at the next ``\\n--boundary`` (one ``\\r`` before it is dropped) or, if
  there is none, at the end of the body (minus a partial boundary there);
- header lines that start with white space or lack ``:`` continue the previous header;
- a ``Content-Disposition`` without ``name`` and ``filename`` stops the reading ("garbled").

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
"""Our own safety stop: PHP would keep reading header sections without a Content-Disposition
forever; we stop after this many so an 8 MiB body of tiny sections stays fast."""

_C_SPACE = b" \t\n\v\f\r"
# The line that ends a header section: empty (after dropping "\r") or, as a C string, empty.
_HEADERS_END = re.compile(rb"\n(?=\r?\n|\x00)")
_DISPOSITION = re.compile(rb"^content-disposition:", re.IGNORECASE | re.MULTILINE)
# A header line that starts a new entry: no leading white space and a ':' in its C string.
_ENTRY = re.compile(rb"\n[^ \t\n\v\f\r][^\n\x00:]*:")
_WORD_STOP = {stop: re.compile(b"[\"'" + stop + b"]") for stop in (b";", b"=")}
_QUOTED = {q: re.compile(b"(?:\\\\" + q + b"|[^" + q + b"])*") for q in (b'"', b"'")}
_CONF = {
    q: (
        re.compile(b"(?:\\\\[\\\\" + q + b"]|[^" + q + b"])*"),
        re.compile(b"\\\\([\\\\" + q + b"])"),
    )
    for q in (b'"', b"'")
}
_UNESCAPE_BACKSLASH = re.compile(rb"\\(\\)")


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


def split(body: bytes, boundary: bytes, *, max_parts: int) -> Multipart:
    """Read ``body`` into parts as PHP does; stop after ``max_parts`` Content-Dispositions.

    ``max_parts`` is PHP's ``max_multipart_body_parts`` (by default ``max_input_vars`` plus
    ``max_file_uploads``, 1020). Never raises.
    """
    delimiter = b"--" + boundary
    next_delimiter = b"\n" + delimiter
    parts: list[Part] = []
    faults: list[str] = []
    limit_hit = False
    pos, size, sections = 0, len(body), 0
    while pos < size:
        start = _find_boundary(body, pos, delimiter)
        if start < 0:
            if not sections:
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
        value, pos, complete = _read_data(body, pos, next_delimiter)
        if not complete:
            faults.append("the last part is not closed by a boundary")
        parts.append(Part(name, filename, value if filename is None else b""))
    return Multipart(tuple(parts), tuple(faults), limit_hit)


def _find_boundary(body: bytes, pos: int, delimiter: bytes) -> int:
    """Where the line after the next ``--boundary`` line starts, or -1 (PHP's find_boundary).

    PHP compares the line, as a C string, with strcmp: it must be exactly the delimiter
    (``--boundary--`` is not one) up to its ``\\r\\n``, ``\\n`` or a NUL byte. An unterminated
    last line never counts (PHP's next_line() does not return it).
    """
    best = -1
    for stop in (b"\n", b"\r\n", b"\0"):
        if body.startswith(delimiter + stop, pos):
            at = pos
        else:
            at = body.find(b"\n" + delimiter + stop, pos)
            at = at + 1 if at >= 0 else -1
        if at >= 0 and (best < 0 or at < best):
            best = at
    if best < 0:
        return -1
    newline = body.find(b"\n", best + len(delimiter))
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


def _c_line(line: bytes) -> bytes:
    """A header line as PHP's get_line() hands it on: one trailing CR dropped, cut at NUL."""
    if line.endswith(b"\r"):
        line = line[:-1]
    return line.split(b"\0", 1)[0]


def _content_disposition(body: bytes, start: int, end: int) -> bytes | None:
    """The first Content-Disposition header's value in ``body[start:end]``, with continuations."""
    found = _DISPOSITION.search(body, start, end)
    if found is None:
        return None
    line_end = body.find(b"\n", found.end(), end)
    line_end = end if line_end < 0 else line_end
    value = _c_line(body[found.end() : line_end]).lstrip(_C_SPACE)
    following = _ENTRY.search(body, line_end, end)
    if following is not None:
        continuation = body[line_end + 1 : following.start()].split(b"\n")
    else:  # the section's last line ends with the "\n" just before ``end``
        continuation = body[line_end + 1 : end].split(b"\n")[:-1]
    return value + b"".join(_c_line(line) for line in continuation)


def _names(disposition: bytes) -> tuple[bytes | None, bytes | None]:
    """The ``name`` and ``filename`` parameters, read with PHP's php_ap_getword rules."""
    name: bytes | None = None
    filename: bytes | None = None
    rest = disposition.lstrip(_C_SPACE)
    while rest:
        pair, rest = _getword(rest, b";")
        rest = rest.lstrip(_C_SPACE)
        if b"=" not in pair:
            continue
        key, value = _getword(pair, b"=")
        key = key.lower()
        if key == b"name":
            name = _getword_conf(value)
        elif key == b"filename":
            filename = _getword_conf(value)
    return name, filename


def _getword(line: bytes, stop: bytes) -> tuple[bytes, bytes]:
    """PHP's php_ap_getword: up to ``stop`` outside quotes; the rest after all the stops."""
    pattern = _WORD_STOP[stop]
    pos = 0
    while True:
        found = pattern.search(line, pos)
        if found is None:
            return line, b""
        char = line[found.start() : found.start() + 1]
        if char == stop:
            word, rest = line[: found.start()], line[found.start() :]
            return word, rest.lstrip(stop)
        quoted = _QUOTED[char].match(line, found.start() + 1)
        pos = quoted.end() + 1 if quoted is not None else found.start() + 1


def _getword_conf(value: bytes) -> bytes:
    """PHP's php_ap_getword_conf: a quoted string (backslash escapes) or a bare word."""
    value = value.lstrip(_C_SPACE)
    quote = value[:1]
    if quote in (b'"', b"'"):
        scan, unescape = _CONF[quote]
        found = scan.match(value, 1)
        inner = found.group() if found is not None else b""
        return unescape.sub(rb"\1", inner)
    word = re.split(rb"[ \t\n\v\f\r]", value, maxsplit=1)[0]
    return _UNESCAPE_BACKSLASH.sub(rb"\1", word)


def _read_data(body: bytes, pos: int, next_delimiter: bytes) -> tuple[bytes, int, bool]:
    """A part's data, where reading goes on, and whether a boundary closed it."""
    end = body.find(next_delimiter, pos)
    complete = end >= 0
    if not complete:
        # PHP's php_ap_memstr also stops at a boundary cut short by the end of the body.
        end = len(body)
        for newline in range(max(pos, len(body) - len(next_delimiter) + 1), len(body)):
            if body[newline] == 10 and next_delimiter.startswith(body[newline:]):
                end = newline
                break
    value = body[pos:end]
    if end < len(body) and value.endswith(b"\r"):
        value = value[:-1]
    return value, end, complete
