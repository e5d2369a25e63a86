"""Seeding one lead at a time, and ``/api`` latency while the whole world is dumped.

``python -m benchmarks --only state`` runs these with the state document's figures.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from benchmarks.figures import Figure, at_most, percentile
from benchmarks.processes import Server, free_port

__all__ = ["api_while_dumping", "seeding"]

SECTION = "state document"

_SEARCH = {
    "app_id": "demo-app",
    "api_key": "demo-key",
    "api_password": "demo-password",
    "lead[email]": "lead-1@example.com",
    "actions[0][cmd]": "search_lead",
}


def seeding(leads: int = 10_000) -> list[Figure]:
    """``KartraMock.add_lead`` ``leads`` times, in-process (each lead its own call)."""
    from kartra_mock.testing import KartraMock

    mock = KartraMock.in_process()
    started = time.perf_counter()
    for number in range(leads):
        mock.add_lead(f"seed-{number}@example.com", first_name="Ada", tags=["Customer"])
    seconds = time.perf_counter() - started
    mock.close()
    return [
        Figure(
            SECTION,
            f"seed {leads:,} leads one by one (KartraMock.add_lead, in-process)",
            seconds * 1000,
            "ms",
            at_most(seconds, 1.0, "≤ 1 s for 10,000 leads") if leads >= 10_000 else None,
        )
    ]


def _latencies(http: httpx.Client, until: threading.Event, limit: float) -> list[float]:
    samples: list[float] = []
    deadline = time.perf_counter() + limit
    while not until.is_set() and time.perf_counter() < deadline:
        started = time.perf_counter()
        http.post("/api", data=_SEARCH)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def api_while_dumping(document: dict[str, object], dumps: int = 3) -> list[Figure]:
    """/api p99 (one client, calls back to back) alone, then while ``GET /_mock/state`` runs."""
    leads = len(document["accounts"][0]["leads"])  # type: ignore[index]
    with tempfile.TemporaryDirectory() as folder:
        state = Path(folder) / "world.json"
        state.write_text(json.dumps(document), "utf-8")
        port = free_port()
        argv = [sys.executable, "-m", "benchmarks.serve_mock", "--port", str(port)]
        server = Server([*argv, "--state", str(state)], port)
        server.start(timeout=120)
        try:
            with (
                httpx.Client(base_url=server.url, timeout=60) as http,
                httpx.Client(base_url=server.url, timeout=120) as control,
            ):
                quiet = _latencies(http, threading.Event(), 3.0)
                done = threading.Event()
                dump_ms: list[float] = []

                def dump() -> None:
                    for _ in range(dumps):
                        started = time.perf_counter()
                        control.get("/_mock/state").raise_for_status()
                        dump_ms.append((time.perf_counter() - started) * 1000)
                    done.set()

                dumper = threading.Thread(target=dump)
                dumper.start()
                busy = _latencies(http, done, 300.0)
                dumper.join()
        finally:
            server.stop()
    size = f"{leads:,} leads"
    return [
        Figure(SECTION, f"/api p99, nothing else running, {size}", percentile(quiet, 99), "ms"),
        Figure(
            SECTION,
            f"/api p99 while GET /_mock/state runs {dumps}× back to back, {size}",
            percentile(busy, 99),
            "ms",
            at_most(percentile(busy, 99), 50.0, "≤ 50 ms"),
            note=f"{len(busy)} calls; each dump took {max(dump_ms):,.0f} ms at most",
        ),
    ]
