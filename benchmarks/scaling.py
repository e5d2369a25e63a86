"""Scaling: create/search latency as one account grows to a million leads; memory per lead.

Runs in a child process of its own (``python -m benchmarks.scaling``), so that its resident
memory is the mock's and nothing else's. The account grows through ``create_lead`` calls on
the backend (as a test suite's would); each timed call goes through the whole ASGI app — form
decoding, routing, the backend, the journal, JSON encoding — called directly, without a socket.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.figures import Figure, at_most, median
from kartra_mock.protocol.forms import PhpValue

if TYPE_CHECKING:
    from kartra_mock.domain.model import Account

__all__ = ["asgi_post", "composition", "measure", "rss_bytes"]

SECTION = "scaling"
#: Leads created for the memory breakdown (after 1,000 that let the account warm up).
BREAKDOWN_LEADS = 20_000
_CREDENTIALS = "app_id=demo-app&api_key=demo-key&api_password=demo-password"
_HEADERS = [(b"host", b"kartra"), (b"content-type", b"application/x-www-form-urlencoded")]

Asgi = Callable[..., object]


def rss_bytes() -> int:
    """This process's resident set size, from ``/proc/self/statm`` (Linux)."""
    import resource

    pages = int(Path("/proc/self/statm").read_text("utf-8").split()[1])
    return pages * resource.getpagesize()


async def asgi_post(app: Asgi, body: bytes, path: str = "/api") -> bytes:
    """POST ``body`` to an ASGI app in this process and return the answer's body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [*_HEADERS, (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    chunks: list[bytes] = []

    async def receive() -> Mapping[str, object]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: Mapping[str, object]) -> None:
        chunk = message.get("body")
        if isinstance(chunk, bytes):
            chunks.append(chunk)

    await app(scope, receive, send)  # type: ignore[misc]  # an ASGI app is awaitable
    return b"".join(chunks)


def _create_body(email: str) -> bytes:
    return (
        f"{_CREDENTIALS}&lead%5Bemail%5D={email.replace('@', '%40')}"
        "&lead%5Bfirst_name%5D=Ada&lead%5Blast_name%5D=Lovelace"
        "&actions%5B0%5D%5Bcmd%5D=create_lead"
    ).encode()


def _search_body(email: str) -> bytes:
    email = email.replace("@", "%40")
    return f"{_CREDENTIALS}&lead%5Bemail%5D={email}&actions%5B0%5D%5Bcmd%5D=search_lead".encode()


async def _timed(app: Asgi, bodies: Sequence[bytes], expect: bytes) -> list[float]:
    times = []
    for body in bodies:
        started = time.perf_counter()
        answer = await asgi_post(app, body)
        times.append(time.perf_counter() - started)
        if expect not in answer:
            raise RuntimeError(f"unexpected answer {answer[:200]!r} to {body[:200]!r}")
    return times


def _child(sizes: Sequence[int], samples: int) -> dict[str, object]:
    """Grow one account through ``sizes`` and time create/search at each (in this process)."""
    from kartra_mock.engine.backend import ApiRequest, Backend, Overrides
    from kartra_mock.server.app import create_app

    backend = Backend(overrides=Overrides(rate_limit=0))
    app = create_app(backend=backend)
    created = 0
    timed = 0
    randomness = random.Random(8)
    points = []
    for size in sizes:
        while created < size:
            backend.handle(ApiRequest(_form(_create_body(f"lead-{created}@example.com"))))
            created += 1
        rss = rss_bytes()
        searches = [
            _search_body(f"lead-{randomness.randrange(created)}@example.com")
            for _ in range(samples)
        ]
        creates = [_create_body(f"timed-{timed + n}@example.com") for n in range(samples)]
        timed += samples
        search_times = asyncio.run(_timed(app, searches, b'"Lead found"'))
        create_times = asyncio.run(_timed(app, creates, b'"create_lead"'))
        points.append(
            {
                "size": size,
                "rss": rss,
                "leads": created + timed - samples,
                "search_p50": median(search_times),
                "create_p50": median(create_times),
            }
        )
    return {"points": points}


def _form(body: bytes) -> dict[str, PhpValue]:
    """A body decoded as the server decodes it: each call's strings are its own, as over HTTP."""
    from kartra_mock.protocol import forms

    return forms.decode_body(body, "application/x-www-form-urlencoded").params


def composition(account: Account) -> dict[str, float]:
    """Bytes per lead by what holds them (``sys.getsizeof``; shared objects counted once)."""
    parts: Counter[str] = Counter()
    seen: set[int] = set()

    def add(part: str, value: object) -> None:
        if id(value) not in seen:
            seen.add(id(value))
            parts[part] += sys.getsizeof(value)

    for lead_id, lead in account.leads.items():
        add("Lead object", lead)
        add("int id", lead_id)
        for value in (lead.custom_fields, lead.tags, lead.lists, lead.sequences, lead.calendars):
            add("empty dicts" if not value else "filled dicts", value)
        add("empty lists" if not lead.expiring_points else "filled lists", lead.expiring_points)
        add("profile dict", lead.profile)
        for text in (lead.email, lead.date_joined, *lead.profile.values()):
            add("strings (email, date_joined, profile values)", text)
    for key in account.by_email:
        add("lower-cased email (index key)", key)
    add("indexes (leads, by_email)", account.leads)
    add("indexes (leads, by_email)", account.by_email)
    count = len(account.leads)
    return {part: size / count for part, size in parts.most_common()}


def _breakdown(leads: int) -> dict[str, object]:
    """What the memory of a lead made by create_lead is made of, and tracemalloc's total.

    The calls run through the domain's ``run_call`` on a world of its own, without the backend's
    journal, so that what stays allocated is the leads.
    """
    from kartra_mock.domain.auth import CallContext
    from kartra_mock.domain.calls import run_call
    from kartra_mock.engine.state import DEFAULT_DOCUMENT, load_world

    world = load_world(DEFAULT_DOCUMENT)
    context = CallContext()
    for number in range(1000):  # the account exists and its dicts have grown a little
        run_call(world, _form(_create_body(f"warm-{number}@example.com")), context, time.time())
    bodies = [_create_body(f"lead-{number}@example.com") for number in range(leads)]
    gc.collect()
    tracemalloc.start()
    for body in bodies:
        run_call(world, _form(body), context, time.time())
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"traced": traced / leads, "parts": composition(world.accounts["demo-key"])}


def measure(sizes: Sequence[int], samples: int) -> tuple[list[Figure], list[str]]:
    """Latency at each size, memory per lead, and what the memory of a lead is made of."""
    argv = [sys.executable, "-m", "benchmarks.scaling", "--sizes", ",".join(map(str, sizes))]
    argv += ["--samples", str(samples)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=root)
    points = json.loads(done.stdout)["points"]
    figures: list[Figure] = []
    base = points[0]
    for op in ("create", "search"):
        for point in points:
            p50 = point[f"{op}_p50"] * 1e6
            figures.append(Figure(SECTION, f"{op}_lead p50 at {point['size']:,} leads", p50, "µs"))
        ratio = points[-1][f"{op}_p50"] / base[f"{op}_p50"]
        figures.append(
            Figure(
                SECTION,
                f"{op}_lead p50: {points[-1]['size']:,} / {base['size']:,} leads",
                ratio,
                "×",
                at_most(ratio, 1.2, "≤ 1.2"),
            )
        )
    low, high = points[-2] if len(points) > 2 else points[0], points[-1]
    per_lead = (high["rss"] - low["rss"]) / (high["leads"] - low["leads"])
    figures += [
        Figure(SECTION, f"RSS at {high['size']:,} leads", high["rss"] / 2**20, "MB"),
        Figure(
            SECTION,
            "resident memory per lead",
            per_lead,
            "B",
            at_most(per_lead, 1536, "< 1.5 KB"),
            note=f"RSS growth from {low['leads']:,} to {high['leads']:,} leads (past the "
            "journal's bound), leads created by create_lead with email, first and last name",
        ),
    ]
    argv = [sys.executable, "-m", "benchmarks.scaling", "--breakdown", str(BREAKDOWN_LEADS)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=root)
    breakdown = json.loads(done.stdout)
    parts = "; ".join(f"{part} {size:,.0f} B" for part, size in breakdown["parts"].items())
    notes = [
        f"What a lead made by create_lead (email, first and last name) holds, per lead "
        f"(sys.getsizeof over {BREAKDOWN_LEADS + 1000:,} leads): {parts}. tracemalloc: "
        f"{breakdown['traced']:,.0f} B allocated per lead.",
        f"The create_lead samples add leads: each size grows by {samples:,} during its "
        "create measurement.",
    ]
    return figures, notes


def main(argv: Sequence[str] | None = None) -> None:
    """Child process: print the measurements as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--breakdown", type=int, metavar="LEADS")
    args = parser.parse_args(argv)
    if args.breakdown:
        print(json.dumps(_breakdown(args.breakdown)))
    else:
        sizes = [int(size) for size in args.sizes.split(",")]
        print(json.dumps(_child(sizes, args.samples)))


if __name__ == "__main__":
    main()
