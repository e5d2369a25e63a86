"""``python -m benchmarks.fuzz``: hostile requests at a real server; 5xx, hangs, memory.

Starts ``kartra-mock serve`` on a free loopback port (rate limit off, so every call reaches
the decoders and the domain), throws ``--count`` generated requests at it over
``--concurrency`` connections, and stops it. Reports HTTP 5xx answers, hangs (no answer within
``--timeout``), tracebacks in the server's output and the server's RSS, sampled throughout.
A developer tool, not a test: the test suite only runs its plumbing with a few requests.

Example::

    python -m benchmarks.fuzz                       # 100,000 requests, writes RESULTS.md
    python -m benchmarks.fuzz --count 2000 --no-write
    python -m benchmarks.fuzz --replay 4242         # show and send one case again
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.fuzz_inputs import FuzzRequest, generate
from benchmarks.fuzz_report import Tally, splice_fuzz_section
from benchmarks.processes import Server, free_port, kartra_mock_command

__all__ = ["fuzz", "main", "send"]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
#: How often the run puts the world it started from back (control cases may replace it).
_RESTORE_EVERY = 2000


async def send(port: int, request: FuzzRequest, timeout: float) -> int:
    """The HTTP status of the answer; 0 if the server closed without one, -1 on a hang."""
    answer = bytearray()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            # Write and read at once: a server may answer (405, 413, 400) and close before
            # taking the whole body, and its answer must be read before the reset.
            sending = asyncio.create_task(_write(writer, request.wire()))
            try:
                while chunk := await reader.read(65536):
                    answer += chunk
            except ConnectionError:
                pass
            finally:
                sending.cancel()
                writer.close()
                with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                    await sending
                    await writer.wait_closed()
    except TimeoutError:
        return -1
    except ConnectionError:
        return 0
    status_line = bytes(answer).partition(b"\r\n")[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        return 0
    return int(status_line[1])


async def _write(writer: asyncio.StreamWriter, data: bytes) -> None:
    with contextlib.suppress(ConnectionError):
        writer.write(data)
        await writer.drain()


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text("utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


async def _control(port: int, method: str, path: str, body: bytes = b"") -> bytes:
    request = FuzzRequest("setup", method, path, (("Content-Type", "application/json"),), body)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request.wire())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer.partition(b"\r\n\r\n")[2]


async def fuzz(
    port: int, pid: int, *, count: int, seed: int, concurrency: int, timeout: float
) -> Tally:
    """Send cases ``0..count-1`` of ``seed``; tally the outcomes, sample the server's RSS."""
    tally = Tally()
    world = await _control(port, "GET", "/_mock/state")
    numbers = iter(range(count))
    started = time.monotonic()

    async def worker() -> None:
        for number in numbers:
            if number % _RESTORE_EVERY == 0:
                await _control(port, "PUT", "/_mock/state", world)
                await _control(port, "DELETE", "/_mock/faults")
            request = generate(seed, number)
            tally.record(request.kind, number, await send(port, request, timeout))

    async def monitor() -> None:
        last, last_sent = started, 0
        while True:
            tally.rss.append((tally.sent, _rss(pid)))
            await asyncio.sleep(0.5)
            now = time.monotonic()
            if now - last >= 5:
                rate = (tally.sent - last_sent) / (now - last)
                print(tally.progress(count, rate), flush=True)
                last, last_sent = now, tally.sent

    watcher = asyncio.create_task(monitor())
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    watcher.cancel()
    tally.rss.append((tally.sent, _rss(pid)))
    tally.seconds = time.monotonic() - started
    return tally


def _exceptions(output: str) -> Counter[str]:
    """The exception line ending each traceback in the server's output, counted."""
    found: Counter[str] = Counter()
    for block in output.split("Traceback (most recent call last):")[1:]:
        ends = [line for line in block.splitlines()[1:] if line and not line[0].isspace()]
        found[ends[0][:160] if ends else "?"] += 1
    return found


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.fuzz",
        description="Throw generated hostile requests at a kartra-mock server on a free "
        "loopback port; report 5xx answers, hangs and memory growth.",
    )
    parser.add_argument("--count", type=int, default=100_000, help="requests (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections at once")
    parser.add_argument(
        "--timeout", type=float, default=20.0, help="seconds before a request is a hang"
    )
    parser.add_argument("--replay", type=int, metavar="N", help="show and send case N only")
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help="where the Fuzz section is written"
    )
    parser.add_argument("--no-write", action="store_true", help="print the summary only")
    return parser


def _replay(port: int, seed: int, number: int, timeout: float) -> int:
    request = generate(seed, number)
    wire = request.wire()
    print(f"case {number} ({request.kind}), {len(wire):,} bytes:")
    print(wire[:2000].decode("latin-1"))
    status = asyncio.run(send(port, request, timeout))
    print(f"-> {status}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fuzz; exit status 1 if any 5xx, hang or traceback was seen."""
    args = _parser().parse_args(argv)
    if args.count < 1 or args.concurrency < 1 or args.timeout <= 0:
        print("count, concurrency and timeout must be above 0", file=sys.stderr)
        return 2
    port = free_port()
    argv_ = [*kartra_mock_command(), "serve", "--port", str(port), "--rate-limit", "0"]
    with Server([*argv_, "--log-level", "warning"], port) as server:
        if args.replay is not None:
            return _replay(port, args.seed, args.replay, args.timeout)
        print(f"fuzzing {server.url} (pid {server.pid}) with {args.count:,} requests", flush=True)
        tally = asyncio.run(
            fuzz(
                port,
                server.pid,
                count=args.count,
                seed=args.seed,
                concurrency=args.concurrency,
                timeout=args.timeout,
            )
        )
        output = server.output()
    tally.tracebacks = output.count("Traceback")
    tally.exceptions = _exceptions(output)
    lines = tally.summary(args.seed, args.concurrency, args.timeout)
    print("\n".join(lines))
    if tally.tracebacks:
        print(output[-4000:], file=sys.stderr)
    if not args.no_write:
        old = args.output.read_text("utf-8") if args.output.exists() else "# Benchmark results\n"
        args.output.write_text(splice_fuzz_section(old, lines), "utf-8")
    failed = tally.count("5xx") or tally.count("hang") or tally.tracebacks
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
