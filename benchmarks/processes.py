"""Servers in child processes: start one (pinned to a core), wait for its health, stop it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

__all__ = [
    "HEALTH_PATH",
    "Server",
    "ServerError",
    "can_pin",
    "cpu_seconds",
    "free_port",
    "healthy",
    "kartra_mock_command",
    "pinned",
]

HEALTH_PATH = "/_mock/health"
#: The core the server under test runs on; the load generator gets the other one.
SERVER_CORE = 0
LOAD_CORE = 1


class ServerError(RuntimeError):
    """A server did not come up, with the tail of what it printed."""


def free_port() -> int:
    """A port that was free a moment ago on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def can_pin() -> bool:
    """Whether two processes can be given a core each (``taskset`` and two usable cores)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return shutil.which("taskset") is not None and usable >= 2


def pinned(argv: Sequence[str], core: int) -> list[str]:
    """``argv`` run on one core when the machine allows it, else as it is."""
    return ["taskset", "-c", str(core), *argv] if can_pin() else list(argv)


def kartra_mock_command() -> list[str]:
    """The installed ``kartra-mock`` script beside this interpreter (else ``-m kartra_mock``)."""
    script = Path(sys.executable).with_name("kartra-mock")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kartra_mock"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text("utf-8").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def healthy(port: int, path: str = HEALTH_PATH, timeout: float = 1.0) -> bool:
    """One raw HTTP/1.1 GET: ``True`` on a 200 answer, ``False`` if refused or anything else."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = conn.recv(64)
    except OSError:
        return False
    return head.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200"))


class Server:
    """A server process: started by :meth:`start`, which returns once it answers its health."""

    def __init__(
        self,
        argv: Sequence[str],
        port: int,
        *,
        health_path: str = HEALTH_PATH,
        cwd: Path | None = None,
    ) -> None:
        self.argv = list(argv)
        self._cwd = cwd
        self.port = port
        self._health_path = health_path
        # Open as long as the server object lives: closed in __exit__.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """The process id (of ``taskset``'s child: taskset execs the server)."""
        assert self._process is not None, "not started"
        return self._process.pid

    def start(self, timeout: float = 30.0) -> float:
        """Start the process; the seconds from spawn to its first healthy answer."""
        started = time.perf_counter()
        self._process = subprocess.Popen(
            self.argv,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self._cwd,
        )
        while not healthy(self.port, self._health_path):
            if self._process.poll() is not None or time.perf_counter() - started > timeout:
                self.stop()
                raise ServerError(f"{' '.join(self.argv)} did not start:\n{self.output()[-2000:]}")
            time.sleep(0.001)
        return time.perf_counter() - started

    def output(self) -> str:
        """What the server printed so far."""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not ended within ten seconds."""
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._process = None

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            # __exit__ will not run: close the log here, or it is left to the GC to find.
            self._log.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        self._log.close()
