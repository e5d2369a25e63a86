"""The request journal: every ``/api`` call with what it decoded to and what it got.

The journal is bounded twice, so a long-running server stays small whatever clients send: by
the number of calls it keeps (oldest forgotten first) and by their size in bytes. A value
longer than :data:`MAX_VALUE_CHARS` (a parameter, an answer's field, a warning's detail; a key
beyond :data:`MAX_KEY_CHARS`) is kept cut, ending in a marker that says how much was cut; one
call keeps at most :data:`MAX_ENTRY_BYTES` of values (the rest keep only their marker); and
the oldest calls go once all of them together pass the budget (``Journal(max_bytes=...)``,
64 MiB by default). Sizes are those of the values' text, an estimate of the journal's JSON
(``docs/operations.md#limits``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, replace

from kartra_mock.engine.faults import FaultHit
from kartra_mock.protocol.forms import PhpValue
from kartra_mock.protocol.rules import ContractWarning

__all__ = [
    "DEFAULT_JOURNAL_BYTES",
    "MAX_ENTRY_BYTES",
    "MAX_KEY_CHARS",
    "MAX_VALUE_CHARS",
    "REDACTED",
    "Journal",
    "JournalEntry",
    "cut_marker",
    "redact",
]

REDACTED = "[redacted]"
#: The journal's default budget: all recorded calls together.
DEFAULT_JOURNAL_BYTES = 64 * 1024 * 1024
#: The longest text the journal keeps whole; a longer one keeps its start and a marker.
MAX_VALUE_CHARS = 16 * 1024
#: The longest key the journal keeps whole.
MAX_KEY_CHARS = 1024
#: The most one call keeps: once its values reach this, the rest are cut to their marker.
MAX_ENTRY_BYTES = 1024 * 1024
# What a key, a number or an empty value costs (its text, quotes, separators): an estimate.
_OVERHEAD = 8


def cut_marker(cut: int, total: int) -> str:
    """What ends a value the journal cut: how much was cut, of how much."""
    return f"…[kartra-mock cut {cut} of {total} characters]"


class _Trimmer:
    """Copies an entry's values, cutting long ones, and counts what is kept."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        self.size = 0

    def text(self, value: str) -> str:
        room = max(0, min(MAX_VALUE_CHARS, MAX_ENTRY_BYTES - self.size))
        if len(value) > room:
            value = value[:room] + cut_marker(len(value) - room, len(value))
        self.size += len(value) + _OVERHEAD
        return value

    def key(self, key: str) -> str:
        # Keys are cut only when long, never to nothing: cut keys would collide.
        if len(key) > MAX_KEY_CHARS:
            key = key[:MAX_KEY_CHARS] + cut_marker(len(key) - MAX_KEY_CHARS, len(key))
        self.size += len(key) + _OVERHEAD
        return key

    def value(self, value: object) -> object:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.key(str(key)): self.value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(item) for item in value]
        self.size += _OVERHEAD
        return value

    def params(self, params: Mapping[str, PhpValue]) -> dict[str, PhpValue]:
        return {self.key(key): self.php(item) for key, item in params.items()}

    def php(self, value: PhpValue) -> PhpValue:
        if isinstance(value, str):
            return self.text(value)
        return {self.key(key): self.php(item) for key, item in value.items()}

    def warning(self, warning: ContractWarning) -> ContractWarning:
        detail = self.text(warning.detail)
        return warning if detail is warning.detail else replace(warning, detail=detail)


def redact(params: Mapping[str, PhpValue]) -> dict[str, PhpValue]:
    """A copy of the parameters without the ``api_password`` a client sent."""
    copy = dict(params)
    if "api_password" in copy:
        copy["api_password"] = REDACTED
    return copy


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One recorded call."""

    seq: int
    time: float
    method: str
    path: str
    app_id: str
    api_key: str
    params: dict[str, PhpValue]
    status_code: int
    response: Mapping[str, object]
    warnings: tuple[ContractWarning, ...]
    duration_ms: float
    #: The injected fault this call got (``POST /_mock/faults``), if any.
    fault: FaultHit | None = None
    #: The commands the call named and the Kartra errors it was answered (the call's outcome).
    commands: tuple[str, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, object]:
        """The entry as ``GET /_mock/requests`` shows it."""
        return {
            "seq": self.seq,
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "app_id": self.app_id,
            "api_key": self.api_key,
            "params": self.params,
            "status_code": self.status_code,
            "response": self.response,
            "warnings": [w.to_json() for w in self.warnings],
            "duration_ms": self.duration_ms,
            "fault": None if self.fault is None else self.fault.to_json(),
            "commands": list(self.commands),
            "errors": [{"type": kind, "message": message} for kind, message in self.errors],
        }


def _measure(value: object) -> int:
    """The size of a value, or -1 if some text in it is too long to keep whole."""
    if isinstance(value, str):
        return len(value) + _OVERHEAD if len(value) <= MAX_VALUE_CHARS else -1
    total = 0
    if isinstance(value, Mapping):
        for key, item in value.items():
            size = _measure(item)
            if size < 0 or len(key) > MAX_KEY_CHARS:
                return -1
            total += size + len(key) + _OVERHEAD
        return total
    if isinstance(value, list | tuple):
        for item in value:
            size = _measure(item)
            if size < 0:
                return -1
            total += size
        return total
    return _OVERHEAD


#: Raw request and encoded answer lengths up to which nothing in them can need cutting.
_SHORT = MAX_KEY_CHARS - len(REDACTED)


def trimmed(
    entry: JournalEntry, wire_size: int | None = None, payload_size: int | None = None
) -> tuple[JournalEntry, int]:
    """``entry`` with its long values cut, and the size it then has.

    ``wire_size`` bounds the length of any name or value in the parameters (the raw form
    body's length) and ``payload_size`` is the encoded answer's: when both are short, nothing
    can need cutting and they are the estimate, so the entry is not walked at all.
    """
    fixed = len(entry.app_id) + len(entry.api_key) + len(entry.path) + 200
    details = sum(len(warning.detail) for warning in entry.warnings)
    details += sum(len(message) + _OVERHEAD for _, message in entry.errors)
    short = all(len(warning.detail) <= MAX_VALUE_CHARS for warning in entry.warnings)
    short = short and all(len(message) <= MAX_VALUE_CHARS for _, message in entry.errors)
    if (
        short
        and wire_size is not None
        and payload_size is not None
        and wire_size <= _SHORT
        and payload_size <= _SHORT
    ):
        return entry, fixed + wire_size + payload_size + details
    # Else measured, not copied, unless something needs cutting.
    in_params, in_response = _measure(entry.params), _measure(entry.response)
    measured = in_params + in_response + details
    if short and in_params >= 0 and in_response >= 0 and measured <= MAX_ENTRY_BYTES:
        return entry, fixed + measured
    trimmer = _Trimmer()
    params = trimmer.params(entry.params)
    response = {trimmer.key(key): trimmer.value(item) for key, item in entry.response.items()}
    warnings = tuple(trimmer.warning(warning) for warning in entry.warnings)
    errors = tuple((kind, trimmer.text(message)) for kind, message in entry.errors)
    trimmer.size += fixed
    kept = replace(entry, params=params, response=response, warnings=warnings, errors=errors)
    return kept, trimmer.size


class Journal:
    """The most recent calls, oldest first, bounded in number and in bytes (module docstring)."""

    __slots__ = ("_bytes", "_clears", "_entries", "_limit", "_max_bytes", "_seq", "_sizes")

    def __init__(self, limit: int = 10_000, max_bytes: int = DEFAULT_JOURNAL_BYTES) -> None:
        if limit < 1 or max_bytes < 1:
            raise ValueError("the journal needs room for at least one call and one byte")
        self._entries: deque[JournalEntry] = deque()
        self._sizes: deque[int] = deque()
        self._limit = limit
        self._max_bytes = max_bytes
        self._bytes = 0
        self._seq = 0
        self._clears = 0

    @property
    def size(self) -> int:
        """What the recorded calls take, in bytes (the estimate the budget is checked with)."""
        return self._bytes

    @property
    def clears(self) -> int:
        """How many times calls were forgotten: a watcher that sees it change reloads."""
        return self._clears

    def next_seq(self) -> int:
        """The sequence number for the next entry (never reused, even after a clear)."""
        self._seq += 1
        return self._seq

    def append(
        self, entry: JournalEntry, *, wire_size: int | None = None, payload_size: int | None = None
    ) -> None:
        """Record a call (its long values cut), forgetting the oldest ones beyond the bounds.

        ``wire_size`` and ``payload_size``: as :func:`trimmed` takes them, when known.
        """
        kept, size = trimmed(entry, wire_size, payload_size)
        self._entries.append(kept)
        self._sizes.append(size)
        self._bytes += size
        while len(self._entries) > self._limit or (
            self._bytes > self._max_bytes and len(self._entries) > 1
        ):
            self._entries.popleft()
            self._bytes -= self._sizes.popleft()

    def entries(self, api_key: str | None = None, since: int = 0) -> list[JournalEntry]:
        """All recorded calls (or one account's) after seq ``since``, oldest first."""
        if api_key is None and since <= 0:
            return list(self._entries)
        newer: list[JournalEntry] = []
        # Seqs grow left to right: walk back from the newest and stop at ``since``, so a
        # poll for what is new costs what is new, not the whole journal.
        for entry in reversed(self._entries):
            if entry.seq <= since:
                break
            if api_key is None or entry.api_key == api_key:
                newer.append(entry)
        newer.reverse()
        return newer

    def clear(self, api_key: str | None = None) -> None:
        """Forget all calls, or only those of one account."""
        self._clears += 1
        if api_key is None:
            self._entries.clear()
            self._sizes.clear()
            self._bytes = 0
            return
        kept = [
            (entry, size)
            for entry, size in zip(self._entries, self._sizes, strict=True)
            if entry.api_key != api_key
        ]
        self._entries = deque(entry for entry, _ in kept)
        self._sizes = deque(size for _, size in kept)
        self._bytes = sum(self._sizes)
