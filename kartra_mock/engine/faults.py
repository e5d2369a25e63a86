"""Fault injection, the pure part: which ``/api`` call gets which fault (``POST /_mock/faults``).

A :class:`FaultSchedule` says *what* goes wrong (a :class:`Fault`) and *when*: the next
``times`` matching calls, or — with a ``probability`` — each matching call with chance ``p``,
drawn from a ``random.Random(seed)`` of its own, so a run is reproducible. A schedule matches
the calls of one ``api_key``, of one ``app_id``, of both, or (neither given) every call.

The :class:`FaultPlan` holds the schedules in the order they were added; it lives inside the
:class:`~kartra_mock.engine.backend.Backend` and is only touched under its lock, so counts
never go wrong under concurrent calls. How a fault reaches the wire (an HTML 5xx page, a delay,
a dropped connection) is the server's business: :mod:`kartra_mock.server.faults`.

None of this is Kartra behaviour: it is the mock's own test tooling (inferred).

Example::

    plan = FaultPlan()
    plan.add(parse_schedule({"kind": "kartra_error", "type": "245", "api_key": "k"}))
    plan.take(api_key="k", app_id="a")  # FaultHit(id=1, fault=Fault(kind=KARTRA_ERROR, ...))
    plan.take(api_key="k", app_id="a")  # None: it was for the next call only
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum

from kartra_mock.engine.state_checks import StateError, check_unicode
from kartra_mock.protocol import errors
from kartra_mock.protocol.numbers import MAX_DIGITS, MAX_WHOLE, is_whole, parse_whole

__all__ = [
    "MAX_FAULTS",
    "MAX_LATENCY_MS",
    "MAX_TEXT",
    "SERVER_ERROR_STATUSES",
    "Fault",
    "FaultError",
    "FaultHit",
    "FaultKind",
    "FaultPlan",
    "FaultSchedule",
    "parse_schedule",
]

#: A typo must not park connections for hours: ten minutes is the most a fault may add.
MAX_LATENCY_MS = 600_000
#: The most faults scheduled at once: every call looks through them, and each takes memory.
MAX_FAULTS = 1000
#: The longest ``message``, ``api_key`` or ``app_id`` a fault takes (Kartra's are short).
MAX_TEXT = 1000
#: What a PHP front end (nginx/Apache before PHP-FPM) answers when the application fails.
SERVER_ERROR_STATUSES = (500, 502, 503, 504)


class FaultKind(StrEnum):
    """What goes wrong."""

    #: Kartra's flat error envelope for a chosen ``type`` (HTTP 200; 429 for type 429).
    KARTRA_ERROR = "kartra_error"
    #: Kartra's rate-limit answer: HTTP 429, ``{"status":"Error",...,"type":"429"}``.
    RATE_LIMIT = "rate_limit"
    #: HTTP 500/502/503/504 with the HTML page a PHP front end sends.
    SERVER_ERROR = "server_error"
    #: The call runs normally; its answer is held back ``latency_ms``.
    LATENCY = "latency"
    #: The connection is closed before a complete answer.
    DROP = "drop"


class FaultError(ValueError):
    """A fault request that cannot be scheduled; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Fault:
    """What a faulted call gets. Every kind may also wait ``latency_ms`` before its effect."""

    kind: FaultKind
    type_code: str = ""
    message: str = ""
    status: int = 0
    latency_ms: float = 0.0

    @property
    def runs_call(self) -> bool:
        """Whether the call still runs (only a pure latency fault lets it through)."""
        return self.kind is FaultKind.LATENCY

    def answer(self) -> tuple[int, dict[str, object]]:
        """HTTP status and JSON body for a call that does not run; ``{}`` where there is none."""
        if self.kind is FaultKind.KARTRA_ERROR:
            error = errors.error_for_type(self.type_code, self.message or None)
            return error.status_code, dict(error.to_json())
        if self.kind is FaultKind.RATE_LIMIT:
            return 429, dict(errors.TooManyRequests().to_json())
        if self.kind is FaultKind.SERVER_ERROR:
            return self.status, {}
        # A dropped connection sends no status at all: the journal records 0.
        return 0, {}

    def to_json(self) -> dict[str, object]:
        """The fault's own fields, as the control plane and the journal show them."""
        shown: dict[str, object] = {"kind": self.kind.value}
        if self.kind is FaultKind.KARTRA_ERROR:
            shown["type"] = self.type_code
            if self.message:
                shown["message"] = self.message
        if self.kind is FaultKind.SERVER_ERROR:
            shown["status"] = self.status
        shown["latency_ms"] = self.latency_ms
        return shown


@dataclass(frozen=True, slots=True)
class FaultSchedule:
    """A fault and the calls it hits: ``times`` of them, or each with chance ``probability``."""

    fault: Fault
    api_key: str | None = None
    app_id: str | None = None
    #: How many calls it hits; ``None`` (only with a probability) means until cleared.
    times: int | None = 1
    probability: float | None = None
    seed: int = 0

    def matches(self, api_key: str, app_id: str) -> bool:
        """Whether a call with these credentials is in this schedule's scope."""
        return (self.api_key is None or self.api_key == api_key) and (
            self.app_id is None or self.app_id == app_id
        )

    def to_json(self) -> dict[str, object]:
        """The schedule as ``POST /_mock/faults`` takes it (and the control plane shows it): the
        fault's keys, then the schedule's own fields under their names."""
        shown = self.fault.to_json()
        shown.update((f.name, getattr(self, f.name)) for f in fields(self) if f.name != "fault")
        return shown


@dataclass(frozen=True, slots=True)
class FaultHit:
    """One call's fault: which schedule fired and what it does."""

    id: int
    fault: Fault

    def to_json(self) -> dict[str, object]:
        """The journal's ``fault`` field."""
        return {"id": self.id, **self.fault.to_json()}


class _Active:
    """A schedule with its mutable part: the calls left and its own random stream."""

    __slots__ = ("fired", "id", "random", "remaining", "schedule")

    def __init__(self, id: int, schedule: FaultSchedule) -> None:
        self.id = id
        self.schedule = schedule
        self.remaining = schedule.times
        self.fired = 0
        self.random = random.Random(schedule.seed)

    def fires(self) -> bool:
        probability = self.schedule.probability
        return probability is None or self.random.random() < probability

    def to_json(self) -> dict[str, object]:
        shown = {"id": self.id, **self.schedule.to_json()}
        shown.update(remaining=self.remaining, fired=self.fired)
        return shown


class FaultPlan:
    """The scheduled faults, oldest first; not thread-safe on its own (the Backend locks)."""

    __slots__ = ("_active", "_next_id")

    def __init__(self) -> None:
        self._active: list[_Active] = []
        self._next_id = 0

    def add(self, schedule: FaultSchedule) -> dict[str, object]:
        """Schedule a fault; returns it as the control plane shows it, with its new ``id``.

        :class:`FaultError` once :data:`MAX_FAULTS` are pending.
        """
        if len(self._active) >= MAX_FAULTS:
            raise FaultError(
                f"{MAX_FAULTS} faults are already scheduled, the most there may be; "
                "remove some first (DELETE /_mock/faults)"
            )
        self._next_id += 1
        active = _Active(self._next_id, schedule)
        self._active.append(active)
        return active.to_json()

    def take(self, api_key: str, app_id: str) -> FaultHit | None:
        """The fault for the call now arriving, if any; counts it against its schedule.

        The oldest matching schedule that fires wins; one call gets at most one fault. A
        probabilistic schedule draws one number for each matching call it is asked about,
        so the same calls in the same order get the same faults.
        """
        for active in self._active:
            if not active.schedule.matches(api_key, app_id) or not active.fires():
                continue
            active.fired += 1
            if active.remaining is not None:
                active.remaining -= 1
                if active.remaining == 0:
                    self._active.remove(active)
            return FaultHit(active.id, active.schedule.fault)
        return None

    def scheduled(self) -> list[dict[str, object]]:
        """The pending schedules, oldest first, with the calls each has left."""
        return [active.to_json() for active in self._active]

    def remove(self, fault_id: int) -> bool:
        """Unschedule one fault; ``False`` if there is none with that id."""
        for active in self._active:
            if active.id == fault_id:
                self._active.remove(active)
                return True
        return False

    def clear(self, api_key: str | None = None) -> int:
        """Unschedule every fault, or those scoped to one ``api_key``; returns how many."""
        kept = [a for a in self._active if api_key is not None and a.schedule.api_key != api_key]
        removed = len(self._active) - len(kept)
        self._active = kept
        return removed


_KEYS = frozenset(
    {
        "kind",
        "type",
        "message",
        "status",
        "latency_ms",
        "api_key",
        "app_id",
        "times",
        "probability",
        "seed",
    }
)


def _integer(document: Mapping[str, object], key: str, default: int | None) -> int | None:
    # An absent key takes the default; an explicit null is refused like any other wrong type.
    if key not in document:
        return default
    value = document[key]
    # JSON (and JSON Schema) make no difference between 3 and 3.0.
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_WHOLE:
        value = int(value)
    if not is_whole(value, minimum=-MAX_WHOLE):
        raise FaultError(
            f"{key}: must be an integer of at most {MAX_DIGITS} digits, not {_show(value)}"
        )
    return value


def _number(document: Mapping[str, object], key: str) -> float | None:
    if key not in document:
        return None
    value = document[key]
    if isinstance(value, int) and not isinstance(value, bool):
        if not is_whole(value, minimum=-MAX_WHOLE):  # float() of a huge int overflows
            raise FaultError(f"{key}: must be a number, not {_show(value)}")
        return float(value)
    if not isinstance(value, float) or not math.isfinite(value):
        raise FaultError(f"{key}: must be a number, not {_show(value)}")
    return value


def _show(value: object) -> str:
    """A value for an error message, cut short (a 4,000-digit number is not worth echoing)."""
    if type(value) is int and abs(value) > MAX_WHOLE:
        return "a number that long"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _scope(document: Mapping[str, object], key: str) -> str | None:
    if key not in document:
        return None
    value = document[key]
    if not isinstance(value, str) or value == "":
        raise FaultError(f"{key}: must be a non-empty string, not {value!r}")
    _short(key, value)
    return value


def _short(key: str, value: str) -> None:
    if len(value) > MAX_TEXT:
        raise FaultError(f"{key}: at most {MAX_TEXT} characters, not {len(value)}")


def _type_code(document: Mapping[str, object]) -> tuple[str, str]:
    raw = document.get("type")
    if isinstance(raw, float) and raw.is_integer() and abs(raw) <= MAX_WHOLE:
        raw = int(raw)  # 245.0 is 245, as in JSON Schema
    code = str(raw) if is_whole(raw) else raw
    if not isinstance(code, str) or parse_whole(code) is None:
        raise FaultError(
            f"type: kartra_error needs a numeric Kartra type such as '245', not {_show(raw)}"
        )
    message = document.get("message", "")
    if not isinstance(message, str):
        raise FaultError(f"message: must be a string, not {message!r}")
    _short("message", message)
    if code not in errors.ERRORS_BY_TYPE and message == "":
        raise FaultError(
            f"type: {code!r} is not a Kartra type the mock knows; "
            "give a 'message' too to send an unknown type"
        )
    return code, message


def _only_for(document: Mapping[str, object], kind: FaultKind) -> None:
    allowed = {
        "type": FaultKind.KARTRA_ERROR,
        "message": FaultKind.KARTRA_ERROR,
        "status": FaultKind.SERVER_ERROR,
    }
    for key, owner in allowed.items():
        if key in document and kind is not owner:
            raise FaultError(f"{key}: only a {owner.value} fault takes it, not {kind.value}")


def _fault(document: Mapping[str, object]) -> Fault:
    raw_kind = document.get("kind")
    kinds = ", ".join(kind.value for kind in FaultKind)
    if not isinstance(raw_kind, str) or raw_kind not in {kind.value for kind in FaultKind}:
        raise FaultError(f"kind: must be one of {kinds}, not {raw_kind!r}")
    kind = FaultKind(raw_kind)
    _only_for(document, kind)
    latency = _number(document, "latency_ms") or 0.0
    if not 0 <= latency <= MAX_LATENCY_MS:
        raise FaultError(f"latency_ms: must be between 0 and {MAX_LATENCY_MS}, not {latency}")
    if kind is FaultKind.LATENCY and latency == 0:
        raise FaultError("latency_ms: a latency fault needs a latency above 0")
    if kind is FaultKind.KARTRA_ERROR:
        code, message = _type_code(document)
        return Fault(kind, type_code=code, message=message, latency_ms=latency)
    if kind is FaultKind.SERVER_ERROR:
        status = _integer(document, "status", 500)
        if status not in SERVER_ERROR_STATUSES:
            allowed = ", ".join(map(str, SERVER_ERROR_STATUSES))
            raise FaultError(f"status: must be one of {allowed}, not {status}")
        return Fault(kind, status=status, latency_ms=latency)
    return Fault(kind, latency_ms=latency)


def parse_schedule(document: Mapping[str, object]) -> FaultSchedule:
    """A ``POST /_mock/faults`` body, checked whole; :class:`FaultError` says what is wrong."""
    unknown = sorted(set(document) - _KEYS)
    if unknown:
        raise FaultError(f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_KEYS))})")
    try:  # a lone surrogate could be neither answered nor listed as UTF-8
        check_unicode(document, "fault")
    except StateError as exc:
        raise FaultError(str(exc)) from None
    fault = _fault(document)
    probability = _number(document, "probability")
    if probability is not None and not 0 < probability <= 1:
        raise FaultError(f"probability: must be above 0 and at most 1, not {probability}")
    if probability is None and "seed" in document:
        raise FaultError("seed: only a fault with a probability takes a seed")
    times = _integer(document, "times", 1 if probability is None else None)
    if times is not None and times < 1:
        raise FaultError(f"times: must be 1 or more, not {times}")
    seed = _integer(document, "seed", 0)
    assert seed is not None  # it has a default
    return FaultSchedule(
        fault,
        api_key=_scope(document, "api_key"),
        app_id=_scope(document, "app_id"),
        times=times,
        probability=probability,
        seed=seed,
    )
