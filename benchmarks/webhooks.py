"""Outbound webhooks: events delivered per second, and what configuring them adds to ``/api``.

- **Delivery**: the mock's sender posts a real webhook (a tag assignment's JSON body) over and
  over, one after another as it always does — over HTTP to a receiver in another process (the
  bare starlette app under uvicorn), and in-process into the same app through
  ``httpx.ASGITransport`` (no socket). Events/s = events ÷ time until the last is delivered.
- **Added /api latency**: ``assign_tag`` / ``unassign_tag`` calls (each one an event when
  outbound is configured) through ``create_app`` over ``httpx.ASGITransport``, on three mocks:
  A and C without outbound, B sending every event to the receiver. In each round every mock
  gets the same block of calls, in a rotated order; B's sender delivers while B is measured,
  and is drained before the next block, so A and C never pay for B's deliveries. Added p50 =
  median over rounds of p50(B) − p50(A); noise = median over rounds of \\|p50(C) − p50(A)\\|,
  the difference two identical mocks show when measured the same way. The goal — no
  measurable change to /api's p50 — is met when the added p50 is within that noise.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.figures import Figure, at_most, median, percentile
from benchmarks.processes import LOAD_CORE, Server, free_port, pinned

__all__ = ["Paired", "measure", "paired", "rate_of_delivery", "sample_webhook"]

SECTION = "webhooks"
ROOT = Path(__file__).resolve().parent.parent
_BASE_URL = "http://kartra-mock.invalid"
_CREDENTIALS = "app_id=demo-app&api_key=demo-key&api_password=demo-password"
_LEAD = "&lead%5Bemail%5D=seed-1%40example.com"
_TAG = _CREDENTIALS + _LEAD + "&actions%5B0%5D%5Bcmd%5D={cmd}&actions%5B0%5D%5Btag_name%5D=Customer"
#: Alternating, so that every call really changes the lead (and so emits an event).
_CALLS = (_TAG.format(cmd="assign_tag").encode(), _TAG.format(cmd="unassign_tag").encode())
_FORM = {"content-type": "application/x-www-form-urlencoded"}


class _Discard:
    """A poster that answers 200 without sending anything (to capture a real payload)."""

    def post(self, url: str, body: bytes, content_type: str) -> int:
        return 200

    def close(self) -> None:
        pass


def _backend(leads: int, url: str | None = None, poster: Any = None) -> Any:
    """A mock of ``leads`` seeded leads; with ``url``, every event is sent there."""
    from benchmarks.http_load import seed_document
    from kartra_mock.engine.backend import Backend
    from kartra_mock.outbound.delivery import Sender

    document = seed_document(leads)
    if url is None:
        return Backend(document)
    document["outbound"] = {"webhooks": [{"url": url}]}
    # A journal long enough to count every delivery of a run.
    return Backend(document, sender=Sender(poster, journal_limit=1_000_000))


def sample_webhook(url: str) -> Any:
    """A real outgoing webhook to ``url``: the one a tag assignment emits."""
    from kartra_mock.engine.backend import ApiRequest
    from kartra_mock.protocol.forms import PhpValue

    backend = _backend(1, url, _Discard())
    params: dict[str, PhpValue] = {
        "app_id": "demo-app",
        "api_key": "demo-key",
        "api_password": "demo-password",
        "lead": {"email": "seed-1@example.com"},
        "actions": {"0": {"cmd": "assign_tag", "tag_name": "Customer"}},
    }
    backend.handle(ApiRequest(params))
    assert backend.sender.wait_idle()
    [record] = backend.sender.records()
    backend.sender.close()
    return record.outgoing


def rate_of_delivery(poster: Any, url: str, events: int) -> tuple[float, int]:
    """Events/s the sender delivers through ``poster``, and how many were answered 2xx."""
    from kartra_mock.outbound.delivery import Sender

    item = sample_webhook(url)
    sender = Sender(poster, queue_limit=events + 1, journal_limit=events)
    sender.submit([item] * 20)  # warm-up: the thread, the connection, first allocations
    assert sender.wait_idle(30)
    sender.clear()
    started = time.perf_counter()
    sender.submit([item] * events)
    if not sender.wait_idle(600):
        raise RuntimeError("the sender did not deliver within 10 minutes")
    elapsed = time.perf_counter() - started
    answered = sum(1 for r in sender.records() if r.status_code == 200)
    sender.close()
    return events / elapsed, answered


@dataclass(frozen=True, slots=True)
class Paired:
    """Per round, the p50 of each mock (µs); and what they say together."""

    without: list[float]  # A
    configured: list[float]  # B
    control: list[float]  # C, identical to A

    @property
    def added(self) -> float:
        """Median over rounds of p50(B) − p50(A)."""
        return median([b - a for a, b in zip(self.without, self.configured, strict=True)])

    @property
    def noise(self) -> float:
        """Median over rounds of |p50(C) − p50(A)|: two identical mocks, measured alike."""
        return median([abs(c - a) for a, c in zip(self.without, self.control, strict=True)])


def paired(rounds: Sequence[Sequence[float]]) -> Paired:
    """Rounds of ``(p50 A, p50 B, p50 C)`` gathered into a :class:`Paired`."""
    return Paired([r[0] for r in rounds], [r[1] for r in rounds], [r[2] for r in rounds])


async def _block(client: httpx.AsyncClient, calls: int) -> float:
    """p50 in µs of ``calls`` /api calls, alternating assign_tag and unassign_tag."""
    samples: list[float] = []
    for number in range(calls):
        body = _CALLS[number % 2]
        started = time.perf_counter()
        await client.post("/api", content=body, headers=_FORM)
        samples.append((time.perf_counter() - started) * 1e6)
    return percentile(samples, 50)


async def _api_rounds(url: str, rounds: int, calls: int, leads: int) -> tuple[Paired, int]:
    from kartra_mock.outbound.delivery import HttpPoster
    from kartra_mock.server.app import create_app

    configured = _backend(leads, url, HttpPoster())
    backends = [_backend(leads), configured, _backend(leads)]
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(create_app(backend=b)), base_url=_BASE_URL)
        for b in backends
    ]
    try:
        for client in clients:
            await _block(client, 50)  # warm-up
        configured.sender.wait_idle(60)
        gathered: list[list[float]] = []
        for number in range(rounds):
            p50 = [0.0, 0.0, 0.0]
            for index in [(number + k) % 3 for k in range(3)]:  # A B C, B C A, C A B, …
                p50[index] = await _block(clients[index], calls)
                configured.sender.wait_idle(60)  # B's deliveries end before the next block
            gathered.append(p50)
        delivered = sum(1 for r in configured.sender.records() if r.status_code == 200)
        return paired(gathered), delivered
    finally:
        for client in clients:
            await client.aclose()
        configured.sender.close()


def _receiver() -> Server:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port", str(port)]
    argv += ["--log-level", "warning"]
    return Server(pinned(argv, LOAD_CORE), port, cwd=ROOT)


def _guarded(run: Callable[[], list[Figure]], what: str) -> list[Figure]:
    try:
        return run()
    except Exception as exc:  # a benchmark that cannot run says so in the table
        return [Figure(SECTION, what, None, "events/s", note=f"{type(exc).__name__}: {exc}")]


def _api_figures(url: str, rounds: int, calls: int, leads: int) -> list[Figure]:
    result, delivered = asyncio.run(_api_rounds(url, rounds, calls, leads))
    size = f"{leads:,} lead" + ("" if leads == 1 else "s")
    a, b = median(result.without), median(result.configured)
    return [
        Figure(SECTION, f"/api p50, no outbound [{size}]", a, "µs"),
        Figure(SECTION, f"/api p50, every event sent to a receiver [{size}]", b, "µs"),
        Figure(SECTION, f"A/A noise: |p50 A − p50 C| [{size}]", result.noise, "µs"),
        Figure(
            SECTION,
            f"added /api p50 with outbound configured [{size}]",
            result.added,
            "µs",
            at_most(result.added, result.noise, "within the A/A noise (no measurable change)"),
            note=f"{rounds} rounds × {calls} calls per mock; {delivered} of "
            f"{rounds * calls + 50} events delivered",
        ),
    ]


def measure(
    events: int, rounds: int, calls: int, sizes: Sequence[int]
) -> tuple[list[Figure], list[str]]:
    """The webhook figures: ``events`` per delivery run; ``rounds`` × ``calls`` /api calls on
    mocks of each of ``sizes`` leads."""
    from benchmarks.bare_app import app as receiver_app
    from kartra_mock.outbound.delivery import HttpPoster, app_poster

    figures: list[Figure] = []
    with _receiver() as receiver:
        url = receiver.url + "/api"

        def over_http() -> list[Figure]:
            rate, ok = rate_of_delivery(HttpPoster(), url, events)
            name = "webhooks delivered over HTTP to a local receiver"
            return [Figure(SECTION, name, rate, "events/s", note=f"{ok} of {events} got 200")]

        def in_process() -> list[Figure]:
            rate, ok = rate_of_delivery(app_poster(receiver_app), "http://shop.test/api", events)
            name = "webhooks delivered in-process into an ASGI app"
            return [Figure(SECTION, name, rate, "events/s", note=f"{ok} of {events} got 200")]

        figures += _guarded(over_http, "webhooks delivered over HTTP to a local receiver")
        figures += _guarded(in_process, "webhooks delivered in-process into an ASGI app")
        for leads in sizes:
            figures += _api_figures(url, rounds, calls, leads)
    notes = [
        "webhooks: /api calls alternate assign_tag and unassign_tag on one lead (every call an "
        "event when outbound is configured), in-process through create_app over "
        "httpx.ASGITransport, on mocks A and C (no outbound) and B (every event sent over HTTP "
        "to a receiver in another process), the three measured in rotated order each round. "
        "Added p50 = median over rounds of p50(B) − p50(A); the A/A noise is the median of "
        "|p50(C) − p50(A)|. The loop keeps one core busy, so B's sender thread (encoding and "
        "posting; the payload itself is built on the /api path, when the change commits) "
        "competes with it for the GIL; a served mock's sender posts while the server waits for "
        "its next request."
    ]
    return figures, notes
