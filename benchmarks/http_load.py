"""HTTP throughput and latency: ``kartra-mock serve`` against a bare starlette app, under wrk.

The servers run pinned to one core and wrk (one thread per server, C and LuaJIT: never the
bottleneck) on the other, sending the same realistic mix (``mix.lua``: mostly create_lead with
unique emails, edit_lead and search_lead on seeded leads, some chains). The bare app parses the
same form body and answers a fixed JSON: the ceiling for the stack. The bare app and the mock
are loaded at the same moment, sharing their core, so that the machine's speed swings (other
processes, frequency changes) hit both alike and cancel in their ratio: each repeat gives one
paired ratio, and the median of those is the figure (their spread says how noisy it was).
Peers run one at a time, after each pair.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from benchmarks import peers
from benchmarks.figures import Figure, at_least, at_most, median
from benchmarks.processes import (
    LOAD_CORE,
    SERVER_CORE,
    Server,
    can_pin,
    cpu_seconds,
    free_port,
    kartra_mock_command,
    pinned,
)
from benchmarks.report import uvicorn_stack
from benchmarks.settings import Settings

__all__ = [
    "BARE",
    "MOCK",
    "REFERENCES",
    "Measured",
    "WrkRun",
    "measure",
    "parse_wrk",
    "seed_document",
    "stack_figures",
]

ROOT = Path(__file__).resolve().parent.parent
MIX = Path(__file__).resolve().parent / "mix.lua"
SECTION = "http"

#: Peers' calls/s from the benchmarks issue, measured on this kind of machine while the bare
#: starlette app on the fast stack served :data:`BARE_REFERENCE` calls/s (static answers).
REFERENCES = {"Prism": 3400.0, "Mockoon": 1600.0}
BARE_REFERENCE = 8800.0

BARE = "bare starlette"
MOCK = "kartra-mock"

_BENCH_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class WrkRun:
    """One wrk run, from the ``BENCH`` line ``mix.lua`` prints."""

    requests: int
    seconds: float
    socket_errors: int
    answer_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def calls_per_second(self) -> float:
        """Answers per second over the run."""
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output: str) -> WrkRun:
    """The ``BENCH key=value …`` line of a wrk run with ``mix.lua`` (latencies in µs).

    >>> parse_wrk("BENCH requests=10 duration_us=2000000 errors_socket=0 errors_answer=1 "
    ...           "answers=10 p50=1500 p90=2000 p99=3000 max=4000").calls_per_second
    5.0
    """
    found = _BENCH_LINE.search(output)
    if found is None:
        raise ValueError(f"no BENCH line in wrk's output:\n{output[-2000:]}")
    values = dict(pair.split("=", 1) for pair in found.group(1).split())
    return WrkRun(
        requests=int(values["requests"]),
        seconds=int(values["duration_us"]) / 1e6,
        socket_errors=int(values["errors_socket"]),
        answer_errors=int(values["errors_answer"]),
        p50_ms=int(values["p50"]) / 1000,
        p90_ms=int(values["p90"]) / 1000,
        p99_ms=int(values["p99"]) / 1000,
        max_ms=int(values["max"]) / 1000,
    )


def seed_document(leads: int) -> dict[str, object]:
    """The built-in world with ``seed-1@example.com`` … ``seed-N@`` and the rate limit off."""
    from kartra_mock.engine.state import DEFAULT_DOCUMENT

    document = copy.deepcopy(DEFAULT_DOCUMENT)
    document["settings"] = {"rate_limit": 0}
    accounts = document["accounts"]
    assert isinstance(accounts, list)
    accounts[0]["leads"] = [
        {"id": n, "email": f"seed-{n}@example.com", "first_name": "Seed", "last_name": "Lead"}
        for n in range(1, leads + 1)
    ]
    return document


_nonces = itertools.count(1)


def run_wrk(url: str, seconds: float, connections: int, seeded: int) -> WrkRun:
    """One wrk run of the mix against ``url`` (pinned to the load core)."""
    nonce = f"{int(time.time()) % 100000}x{next(_nonces)}"
    argv = pinned(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(MIX),
            url,
            "--",
            nonce,
            str(seeded),
        ],
        LOAD_CORE,
    )
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=seconds + 60)
    return parse_wrk(done.stdout + done.stderr)


def _servers(stack: str, state: Path) -> list[tuple[str, Callable[[int], list[str]]]]:
    """(name, argv for a port) of the bare app, the mock and (fast stack) the installed peers."""
    http, loop = ("httptools", "uvloop") if stack == "fast" else ("h11", "asyncio")
    bare = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", f"--http={http}"]
    bare += [f"--loop={loop}", "--log-level=warning", "--no-access-log", "--no-server-header"]
    if stack == "fast":  # the real command: it picks the fast stack itself
        mock = [*kartra_mock_command(), "serve", "--state", str(state), "--rate-limit", "0"]
        mock += ["--log-level", "warning"]
    else:
        mock = [sys.executable, "-m", "benchmarks.serve_mock", "--state", str(state)]
        mock += [f"--http={http}", f"--loop={loop}"]
    servers: list[tuple[str, Callable[[int], list[str]]]] = [
        (BARE, lambda port: [*bare, "--port", str(port)]),
        (MOCK, lambda port: [*mock, "--port", str(port)]),
    ]
    if stack == "fast":
        servers += peers.installed()
    return servers


@dataclass(frozen=True, slots=True)
class Measured:
    """A wrk run and the server's CPU time per answered call during it."""

    run: WrkRun
    cpu_us_per_call: float


def _measure(server: Server, seconds: float, settings: Settings) -> Measured:
    before = cpu_seconds(server.pid)
    run = run_wrk(server.url, seconds, settings.http_connections, settings.http_seeded_leads)
    used = cpu_seconds(server.pid) - before
    return Measured(run, used / run.requests * 1e6 if run.requests else 0.0)


def _measure_together(
    servers: dict[str, Server], seconds: float, settings: Settings
) -> dict[str, Measured]:
    """One run of each server, all loaded at the same moment (each by its own wrk)."""
    with ThreadPoolExecutor(max_workers=len(servers)) as pool:
        started = {
            name: pool.submit(_measure, server, seconds, settings)
            for name, server in servers.items()
        }
        return {name: future.result() for name, future in started.items()}


def _measure_stack(stack: str, state: Path, settings: Settings) -> dict[str, list[Measured]]:
    """Every measured run on one stack: the bare app and the mock together, then each peer.

    The i-th runs of :data:`BARE` and :data:`MOCK` were measured at the same moment.
    """
    runs: dict[str, list[Measured]] = {}
    with ExitStack() as stack_of_servers:
        servers: dict[str, Server] = {}
        for name, argv in _servers(stack, state):
            port = free_port()
            command = pinned(argv(port), SERVER_CORE)
            servers[name] = stack_of_servers.enter_context(Server(command, port, cwd=ROOT))
        pair = {name: servers.pop(name) for name in (BARE, MOCK)}
        _measure_together(pair, settings.http_warmup_seconds, settings)
        for server in servers.values():
            _measure(server, settings.http_warmup_seconds, settings)
        runs = {name: [] for name in [*pair, *servers]}
        for _ in range(settings.http_repeats):
            for name, measured in _measure_together(pair, settings.http_seconds, settings).items():
                runs[name].append(measured)
            for name, server in servers.items():
                runs[name].append(_measure(server, settings.http_seconds, settings))
    return runs


def _spread(ratios: list[float]) -> str:
    if len(ratios) < 2:
        return "one paired run"
    return f"paired runs {min(ratios):.2f}–{max(ratios):.2f}× (median of {len(ratios)})"


def stack_figures(label: str, runs: dict[str, list[Measured]], *, references: bool) -> list[Figure]:
    """Figures of one stack from its runs (keys :data:`BARE`, :data:`MOCK` and peers' names).

    Each server's figures are those of its median run by calls/s. The mock's ratios to the bare
    app are the medians of the paired runs' ratios (the i-th runs of both were measured at the
    same moment); their goals are the issue's. The CPU-time ratio is the same comparison by
    server CPU per call, which the other processes on a shared machine disturb less than they
    disturb calls per second.
    With ``references``, each peer of :data:`REFERENCES` that was not measured is compared by the
    issue's figure for it, scaled by the bare app's figure.
    """
    figures: list[Figure] = []
    chosen: dict[str, Measured] = {}
    for name, measured in runs.items():
        middle = median([m.run.calls_per_second for m in measured])
        pick = min(measured, key=lambda m: abs(m.run.calls_per_second - middle))
        chosen[name] = pick
        run = pick.run
        note = ""
        if run.socket_errors or run.answer_errors:
            note = (
                f"{run.socket_errors} socket errors, {run.answer_errors} answers with "
                '"status":"Error" or not HTTP 200'
            )
        cpu = median([m.cpu_us_per_call for m in measured])
        shown = f"{name} [{label}]" if name in (BARE, MOCK) else f"{name} [Node.js, static answer]"
        figures += [
            Figure(SECTION, f"{shown} calls/s", middle, "calls/s", note=note),
            Figure(SECTION, f"{shown} p50 latency", run.p50_ms, "ms"),
            Figure(SECTION, f"{shown} p99 latency", run.p99_ms, "ms"),
            Figure(SECTION, f"{shown} server CPU per call", cpu, "µs"),
        ]
    bare, mock = chosen[BARE], chosen[MOCK]
    pairs = list(zip(runs[BARE], runs[MOCK], strict=False))
    speeds = [m.run.calls_per_second / b.run.calls_per_second for b, m in pairs]
    tails = [m.run.p99_ms / b.run.p99_ms for b, m in pairs if b.run.p99_ms]
    ratio = median(speeds)
    figures.append(
        Figure(
            SECTION,
            f"{MOCK} / {BARE} calls/s [{label}]",
            ratio,
            "×",
            at_least(ratio, 0.85, "≥ 0.85"),
            note=_spread(speeds),
        )
    )
    if tails:
        tail = median(tails)
        figures.append(
            Figure(
                SECTION,
                f"{MOCK} / {BARE} p99 latency [{label}]",
                tail,
                "×",
                at_most(tail, 3, "≤ 3"),
                note=_spread(tails),
            )
        )
    bare_cpu = median([m.cpu_us_per_call for m in runs[BARE]])
    mock_cpu = median([m.cpu_us_per_call for m in runs[MOCK]])
    if bare_cpu and mock_cpu:
        figures.append(
            Figure(
                SECTION,
                f"{BARE} / {MOCK} CPU per call [{label}]",
                bare_cpu / mock_cpu,
                "×",
                note="the throughput ratio the mock would reach with a core of its own",
            )
        )
    for peer in chosen:
        if peer not in (BARE, MOCK):
            versus = mock.run.calls_per_second / chosen[peer].run.calls_per_second
            figures.append(
                Figure(SECTION, f"{MOCK} / {peer} calls/s", versus, "×", at_least(versus, 2, "≥ 2"))
            )
    if not references:
        return figures
    for peer, calls in REFERENCES.items():
        if peer in chosen:
            continue
        scaled = calls * bare.run.calls_per_second / BARE_REFERENCE
        versus = mock.run.calls_per_second / scaled
        figures.append(
            Figure(
                SECTION,
                f"{MOCK} / {peer} (issue's figure, scaled)",
                versus,
                "×",
                at_least(versus, 2, "≥ 2"),
                note=f"{peer} is not installed (npm install --prefix benchmarks/peers): its "
                f"{calls:,.0f} calls/s from the issue (static answer, when the bare app did "
                f"{BARE_REFERENCE:,.0f}) scaled by this run's bare figure "
                f"({bare.run.calls_per_second:,.0f}) is {scaled:,.0f}; unscaled ratio "
                f"{mock.run.calls_per_second / calls:.2f}×",
            )
        )
    return figures


def measure(settings: Settings) -> tuple[list[Figure], list[str]]:
    """The HTTP figures of every stack available here, and notes on what was skipped."""
    if shutil.which("wrk") is None:
        note = "wrk is not installed (Debian: apt-get install wrk): HTTP figures skipped"
        return [Figure(SECTION, "calls/s", None, "calls/s", note=note)], []
    pinning = "servers pinned to core 0, wrk to core 1" if can_pin() else "nothing pinned"
    notes = [
        f"HTTP: wrk, 1 thread, {settings.http_connections} connections, {pinning}; "
        f"{settings.http_repeats} × {settings.http_seconds:g} s per server after a "
        f"{settings.http_warmup_seconds:g} s warm-up; the bare app and the mock loaded at the "
        "same moment on the one server core (one wrk each), peers one at a time; the median "
        "run reported, ratios the median of the paired runs' ratios. Mix (benchmarks/mix.lua): "
        "70 % create_lead with a unique email, "
        f"12 % edit_lead and 12 % search_lead on {settings.http_seeded_leads:,} seeded leads, "
        "6 % create_lead + assign_tag + subscribe_lead_to_list; bodies as PHP's "
        "http_build_query writes them. The mock runs with --rate-limit 0 --log-level warning."
    ]
    stacks = []
    if uvicorn_stack() == "httptools + uvloop":
        stacks.append("fast")
    else:
        notes.append("httptools/uvloop not installed: the fast-stack figures are missing")
    if settings.http_pure_stack:
        stacks.append("pure")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as folder:
        state = Path(folder) / "seed.json"
        state.write_text(json.dumps(seed_document(settings.http_seeded_leads)), "utf-8")
        for stack in stacks:
            label = {"fast": "httptools+uvloop", "pure": "h11+asyncio"}[stack]
            runs = _measure_stack(stack, state, settings)
            figures += stack_figures(label, runs, references=stack == "fast")
    return figures, notes
