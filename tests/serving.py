"""A ``kartra-mock serve`` process for tests: started on a free port, ready once healthy."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import httpx
import pytest


def free_port() -> int:
    """A port that was free a moment ago (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Process:
    """A running server process and its base URL."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> tuple[int, str, str]:
        """Send ``sig``; return the exit status and everything the process printed."""
        self.process.send_signal(sig)
        out, err = self.process.communicate(timeout=15)
        return self.process.returncode, out, err


@contextmanager
def running(
    argv: Sequence[str], url: str, *, env: Mapping[str, str] | None = None
) -> Iterator[Process]:
    """Start ``argv``; yield once ``url/_mock/health`` answers; kill it if still running after."""
    process = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"{argv[0]} exited with {process.returncode}:\n{out}\n{err}")
            try:
                if httpx.get(url + "/_mock/health", timeout=1).json() == {"status": "ok"}:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{' '.join(argv)} did not answer /_mock/health within 15 s")
            time.sleep(0.05)
        yield Process(process, url)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
