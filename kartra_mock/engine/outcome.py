"""One ``/api`` call's outcome: what to answer, and what the journal, the log and the report read.

The backend builds one :class:`Reply` per call from what the domain knew while it ran: the
commands the call named, every Kartra error it answered (the flat one or each failed action's),
the answer already encoded, its content type and where the time went. The journal entry, the
log line (``docs/operations.md#logs``) and ``kartra-mock report`` all read these fields; none of
them re-reads the JSON answer to find out again what happened.

Example::

    reply = backend.handle(ApiRequest(params))
    reply.commands, reply.errors  # ('create_lead', 'assign_tag'), (('212', 'Tag does not exist'),)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kartra_mock.domain.model import ContentType
from kartra_mock.engine.faults import FaultHit
from kartra_mock.protocol.rules import ContractWarning

__all__ = ["KartraErrorSeen", "Reply", "Timings"]

#: One Kartra error an answer carries: its ``type`` and ``message``.
KartraErrorSeen = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Timings:
    """Where one call's time went, in seconds."""

    read: float = 0.0
    decode: float = 0.0
    handle: float = 0.0
    encode: float = 0.0

    @property
    def total(self) -> float:
        """The whole call."""
        return self.read + self.decode + self.handle + self.encode

    def to_ms(self) -> dict[str, float]:
        """Each step in milliseconds, rounded to the microsecond."""
        return {
            "read": round(self.read * 1000, 3),
            "decode": round(self.decode * 1000, 3),
            "handle": round(self.handle * 1000, 3),
            "encode": round(self.encode * 1000, 3),
        }


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer, and the facts of the call the journal, the log and the report read."""

    status_code: int
    body: Mapping[str, object]
    warnings: tuple[ContractWarning, ...]
    #: The injected fault the server must still apply on the wire (delay, 5xx page, drop).
    fault: FaultHit | None = None
    #: ``body`` as JSON, as Kartra writes it (what goes on the wire unless a fault replaces it).
    payload: bytes = b""
    #: The ``Content-Type`` setting in force when the call was answered.
    content_type: ContentType = "text/html"
    #: The commands the call named, in request order (``get_lead`` first; ``?``: no ``cmd``).
    commands: tuple[str, ...] = ()
    #: Every Kartra error in the answer as ``(type, message)``: the flat one or each action's.
    errors: tuple[KartraErrorSeen, ...] = ()
    #: Handling and encoding, as the backend measured them (the server adds read and decode).
    timings: Timings = field(default_factory=Timings)

    @property
    def result(self) -> str | None:
        """The answer's top-level ``status`` (``Success``/``Error``), ``None`` if it has none."""
        status = self.body.get("status")
        return status if isinstance(status, str) else None
