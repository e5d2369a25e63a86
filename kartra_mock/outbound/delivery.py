"""The sender: a background thread that posts outbound calls and keeps the delivery journal.

``/api`` only ever puts work on a bounded queue (never waits for a receiver). Delivery faults
exercise a receiver's robustness; Kartra documents none of them, nor any retry, so all of
them are the mock's own (inferred;
``docs/webhooks.md#delivery-faults-and-retries-all-inferred``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any, Literal, Protocol

import httpx

from kartra_mock.outbound.config import DeliveryPolicy
from kartra_mock.outbound.payloads import Outgoing

__all__ = [
    "AppPoster",
    "DeliveryRecord",
    "FaultKind",
    "HttpPoster",
    "Poster",
    "Sender",
    "app_poster",
    "encode",
]

logger = logging.getLogger("kartra_mock.outbound")


class Poster(Protocol):
    """Posts a body to a URL and returns the HTTP status; raises if no answer came."""

    def post(self, url: str, body: bytes, content_type: str) -> int:
        """Deliver one call."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


FaultKind = Literal["duplicate", "reorder", "delay"]
FAULT_KINDS: tuple[str, ...] = ("duplicate", "reorder", "delay")
#: How long a held-back (reordered) delivery waits for a later one to overtake it.
_HOLD_S = 0.2


def encode(item: Outgoing) -> tuple[bytes, str]:
    """The body and content type: JSON for webhooks, a flat form for the IPN."""
    if item.kind == "ipn":
        form = urllib.parse.urlencode({k: str(v) for k, v in item.payload.items()})
        return form.encode(), "application/x-www-form-urlencoded"
    return json.dumps(item.payload, ensure_ascii=False).encode(), "application/json"


class HttpPoster:
    """Delivers over HTTP (one connection pool, used only by the sender thread)."""

    def __init__(self, timeout_s: float = 5.0) -> None:
        self._client = httpx.Client(timeout=timeout_s)

    def post(self, url: str, body: bytes, content_type: str) -> int:
        """POST ``body``; the receiver's HTTP status."""
        headers = {"Content-Type": content_type}
        return self._client.post(url, content=body, headers=headers).status_code

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


class AppPoster:
    """Delivers straight into an ASGI (or, ``asgi=False``, WSGI) app: no socket."""

    def __init__(self, app: Callable[..., Any], *, asgi: bool = True) -> None:
        self._asgi = asgi
        self._loop: asyncio.AbstractEventLoop | None = None
        if asgi:
            self._loop = asyncio.new_event_loop()
            self._async = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        else:
            self._sync = httpx.Client(transport=httpx.WSGITransport(app=app))

    def post(self, url: str, body: bytes, content_type: str) -> int:
        """Call the app with a POST of ``body``; its HTTP status."""
        headers = {"Content-Type": content_type}
        if self._loop is None:
            return self._sync.post(url, content=body, headers=headers).status_code
        call = self._async.post(url, content=body, headers=headers)
        return self._loop.run_until_complete(call).status_code

    def close(self) -> None:
        """Close the client (and its event loop)."""
        if self._loop is None:
            self._sync.close()
            return
        self._loop.run_until_complete(self._async.aclose())
        self._loop.close()


def app_poster(app: Callable[..., Any], *, asgi: bool = True) -> AppPoster:
    """A poster into ``app`` (ASGI by default, WSGI with ``asgi=False``)."""
    return AppPoster(app, asgi=asgi)


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One attempt to deliver one outbound call."""

    seq: int
    time: float
    #: What was sent: url, kind, event, api_key and payload.
    outgoing: Outgoing
    status_code: int | None
    latency_ms: float
    attempt: int
    error: str = ""
    fault: str = ""

    def to_json(self) -> dict[str, object]:
        """As ``GET /_mock/deliveries`` lists it: every field above, in their order, with the
        outgoing call's fields in its place."""
        item: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Outgoing):
                item.update((g.name, getattr(value, g.name)) for g in fields(value))
            else:
                item[f.name] = value
        return item


@dataclass(slots=True)
class _Fault:
    kind: str
    remaining: int
    delay_ms: int


class Sender:
    """Posts outbound calls from its own thread, in order, and journals every attempt."""

    def __init__(
        self,
        poster: Poster | None = None,
        *,
        policy: DeliveryPolicy | None = None,
        journal_limit: int = 1000,
        queue_limit: int = 10_000,
    ) -> None:
        self.policy = policy or DeliveryPolicy()
        self._poster = poster
        self._queue: queue.Queue[Outgoing | None] = queue.Queue(queue_limit)
        self._records: deque[DeliveryRecord] = deque(maxlen=journal_limit)
        self._lock = threading.Lock()
        self._seq = 0
        self._clears = 0
        self._faults: list[_Fault] = []
        self._thread: threading.Thread | None = None

    def submit(self, items: Iterable[Outgoing]) -> None:
        """Queue calls for delivery; never blocks (a full queue drops and journals the call)."""
        for item in items:
            self._start()
            try:
                self._queue.put_nowait(item)
            except queue.Full:
                self._record(item, None, 0.0, 1, "dropped: the delivery queue is full", "")

    def add_fault(self, kind: str, count: int = 1, delay_ms: int = 0) -> None:
        """Apply ``kind`` to the next ``count`` deliveries."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown delivery fault {kind!r} (one of {', '.join(FAULT_KINDS)})")
        with self._lock:
            self._faults.append(_Fault(kind, count, delay_ms))

    def faults(self) -> list[dict[str, object]]:
        """The pending delivery faults."""
        with self._lock:
            return [
                {"kind": f.kind, "remaining": f.remaining, "delay_ms": f.delay_ms}
                for f in self._faults
            ]

    def records(self, since: int = 0) -> list[DeliveryRecord]:
        """The delivery journal after ``since``, oldest first."""
        with self._lock:
            return [r for r in self._records if r.seq > since]

    def page(self, since: int = 0) -> tuple[int, list[DeliveryRecord]]:
        """How many times the journal was cleared, and the attempts after ``since`` (a watcher)."""
        with self._lock:
            return self._clears, [r for r in self._records if r.seq > since]

    def clear(self) -> None:
        """Forget the delivery journal and the pending faults."""
        with self._lock:
            self._clears += 1
            self._records.clear()
            self._faults.clear()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued has been delivered; ``False`` on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def close(self) -> None:
        """Stop the thread once the queue is drained, and close the poster."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None
        if self._poster is not None:
            self._poster.close()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="kartra-mock-outbound", daemon=True
                )
                self._thread.start()

    def _take_fault(self) -> _Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.pop(0)
            return fault

    def _run(self) -> None:
        held: Outgoing | None = None
        while True:
            try:
                item = self._queue.get(timeout=_HOLD_S) if held else self._queue.get()
            except queue.Empty:
                assert held is not None
                self._deliver(held, "reorder")
                held, item = None, None
                self._queue.task_done()
                continue
            if item is None:
                self._queue.task_done()
                return
            fault = self._take_fault()
            if fault is not None and fault.kind == "reorder" and held is None:
                held = item  # sent after the next one (its task stays open until then)
                continue
            if fault is not None and fault.kind == "delay":
                time.sleep(fault.delay_ms / 1000)
            self._deliver(item, fault.kind if fault else "")
            if fault is not None and fault.kind == "duplicate":
                self._deliver(item, "duplicate")
            self._queue.task_done()
            if held is not None:
                self._deliver(held, "reorder")
                held = None
                self._queue.task_done()

    def _deliver(self, item: Outgoing, fault: str) -> None:
        body, content_type = encode(item)
        if self._poster is None:
            self._poster = HttpPoster(self.policy.timeout_s)
        attempts = 1 + self.policy.retries
        for attempt in range(1, attempts + 1):
            started = time.perf_counter()
            status: int | None = None
            error = ""
            try:
                status = self._poster.post(item.url, body, content_type)
            except Exception as exc:  # any failure of the receiver is journaled, never raised
                error = f"{type(exc).__name__}: {exc}"
            latency = round((time.perf_counter() - started) * 1000, 3)
            self._record(item, status, latency, attempt, error, fault)
            if status is not None and 200 <= status < 300:
                return
            if attempt < attempts:
                time.sleep(self.policy.retry_delay_ms / 1000)
        logger.info("outbound %s to %s failed: %s", item.event, item.url, error or status)

    def _record(
        self,
        item: Outgoing,
        status: int | None,
        latency_ms: float,
        attempt: int,
        error: str,
        fault: str,
    ) -> None:
        with self._lock:
            self._seq += 1
            self._records.append(
                DeliveryRecord(
                    seq=self._seq,
                    time=time.time(),
                    outgoing=item,
                    status_code=status,
                    latency_ms=latency_ms,
                    attempt=attempt,
                    error=error,
                    fault=fault,
                )
            )
