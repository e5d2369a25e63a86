"""The request journal: every ``/api`` call with what it decoded to and what it got (SPEC §4)."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from kartra_mock.engine.faults import FaultHit
from kartra_mock.protocol.forms import PhpValue
from kartra_mock.protocol.rules import ContractWarning

__all__ = ["REDACTED", "Journal", "JournalEntry", "redact"]

REDACTED = "[redacted]"


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
        }


class Journal:
    """The most recent calls, oldest first, bounded so a long-running server stays small."""

    __slots__ = ("_clears", "_entries", "_seq")

    def __init__(self, limit: int = 10_000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=limit)
        self._seq = 0
        self._clears = 0

    @property
    def clears(self) -> int:
        """How many times calls were forgotten: a watcher that sees it change reloads."""
        return self._clears

    def next_seq(self) -> int:
        """The sequence number for the next entry (never reused, even after a clear)."""
        self._seq += 1
        return self._seq

    def append(self, entry: JournalEntry) -> None:
        """Record a call."""
        self._entries.append(entry)

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
            return
        kept = [entry for entry in self._entries if entry.api_key != api_key]
        self._entries.clear()
        self._entries.extend(kept)
