"""Start-up: process start to first healthy answer, import times, the pytest plugin's cost.

Every figure is the median of several fresh processes (the first of them warms the disk
cache, as CI's first run would not; the median hides it).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import peers
from benchmarks.figures import Figure, at_most, median
from benchmarks.processes import Server, free_port, kartra_mock_command

__all__ = ["measure"]

SECTION = "start-up"
ROOT = Path(__file__).resolve().parent.parent

#: Peers' start to first answer from the benchmarks issue, for the notes.
PEERS = (
    "the issue gives Prism 1.4 s and Mockoon 0.75 s (measured above when installed), "
    "WireMock 2.0 s and LocalStack tens of seconds (not measured here)"
)

#: Imports timed, each in a fresh interpreter: (figure, modules already loaded, modules timed).
#: The package itself, what ``serve`` loads, the client, and the plugin inside a running pytest.
IMPORTS = (
    ("import kartra_mock", "", "kartra_mock"),
    ("import what `serve` needs (server + uvicorn)", "", "kartra_mock.server.app, uvicorn"),
    ("import kartra_mock.client", "", "kartra_mock.client"),
    (
        "import kartra_mock.testing.pytest_plugin (pytest loaded)",
        "pytest",
        "kartra_mock.testing.pytest_plugin",
    ),
)


def _first_answer(argv: list[str], port: int) -> float:
    server = Server(argv, port, cwd=ROOT)
    try:
        return server.start()
    finally:
        server.stop()


def _serve_times(repeats: int) -> tuple[list[float], list[float]]:
    mock, bare = [], []
    for _ in range(repeats):
        port = free_port()
        mock.append(
            _first_answer(
                [*kartra_mock_command(), "serve", "--port", str(port), "--log-level", "warning"],
                port,
            )
        )
        port = free_port()
        argv = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port", str(port)]
        bare.append(_first_answer([*argv, "--log-level", "warning"], port))
    return mock, bare


def _wall(argv: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def _import_time(preload: str, modules: str) -> float:
    code = f"import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
    if preload:
        code = f"import {preload}; {code}"
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return float(done.stdout.strip())


def _pytest_times(repeats: int) -> tuple[list[float], list[float]]:
    """Wall time of a one-test pytest run with the plugin, and with ``-p no:kartra_mock``."""
    with_plugin, without = [], []
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        (where / "test_one.py").write_text("def test_one() -> None:\n    pass\n", "utf-8")
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_one.py"]
        _wall(argv, where)  # warm the disk cache and the .pyc files
        for _ in range(repeats):
            with_plugin.append(_wall(argv, where))
            without.append(_wall([*argv, "-p", "no:kartra_mock"], where))
    return with_plugin, without


def measure(repeats: int) -> tuple[list[Figure], list[str]]:
    """The start-up figures, each the median of ``repeats`` fresh processes."""
    interpreter = median([_wall([sys.executable, "-c", "pass"]) for _ in range(repeats)])
    mock, bare = _serve_times(repeats)
    figures = [
        Figure(
            SECTION,
            "`kartra-mock serve`: spawn → first healthy answer",
            median(mock) * 1000,
            "ms",
            at_most(median(mock), 0.3, "< 300 ms"),
        ),
        Figure(
            SECTION, "bare starlette on uvicorn: spawn → first answer", median(bare) * 1000, "ms"
        ),
        Figure(SECTION, "python -c pass (the floor)", interpreter * 1000, "ms"),
    ]
    for name, preload, modules in IMPORTS:
        times = [_import_time(preload, modules) for _ in range(repeats)]
        figures.append(Figure(SECTION, name, median(times) * 1000, "ms"))
    for peer, argv in peers.installed():
        times = []
        for _ in range(max(1, repeats // 2)):  # each takes a second or two
            port = free_port()
            times.append(_first_answer(argv(port), port))
        figures.append(Figure(SECTION, f"{peer}: spawn → first answer", median(times) * 1000, "ms"))
    with_plugin, without = _pytest_times(repeats)
    cost = median([a - b for a, b in zip(with_plugin, without, strict=True)])
    figures += [
        Figure(SECTION, "pytest, one test, with the plugin", median(with_plugin) * 1000, "ms"),
        Figure(SECTION, "the plugin's cost to pytest start-up", cost * 1000, "ms"),
    ]
    return figures, [f"Peers' start to first answer: {PEERS}."]
