"""A ``kartra-mock serve`` process for tests: started on a free port, ready once healthy."""

from __future__ import annotations

import os
import re
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
                if httpx.get(url + "/_mock/health", timeout=1).json()["status"] == "ok":
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


_SERVING = re.compile(r" serving (http://\S+)/api ")


@contextmanager
def announced(
    argv: Sequence[str], *, env: Mapping[str, str] | None = None
) -> Iterator[tuple[Process, list[str]]]:
    """Start ``argv``; yield once it prints its "serving URL" line, with the lines so far.

    For ``--port 0``: the URL (and so the port) is read from the output, as a tool would.
    """
    process = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            found = _SERVING.search(line)
            if found:
                # The banner's next lines follow at once; read them too.
                lines.extend(process.stdout.readline().rstrip("\n") for _ in range(2))
                yield Process(process, found.group(1)), lines
                return
        process.wait(timeout=15)
        pytest.fail(f"{argv[0]} exited with {process.returncode} before serving:\n{lines}")
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
