"""The test tiers (CONTRIBUTING.md): what a test costs, as markers, and a guard keeping them true.

A test's tiers come from

* the markers written on it or its module (``pytestmark = pytest.mark.subprocess``);
* the fixtures it uses: ``kartra_server``, ``kartra_live`` and ``kartra_receiver`` bind a
  real socket (``socket``);
* ``php``, ``node`` and ``browser`` each run a program in a child process: they imply
  ``subprocess``;
* ``unit`` when none of those applies (and the test is no ``container`` test).

The guard watches every test while it runs (setup, call, teardown): a test that starts a
child process without ``subprocess`` (``php``, ``node``, ``browser`` for those programs), or
binds a socket without ``socket``, fails at teardown naming the marker it lacks. A fixture
shared by a module starts its process in the first test only, so such modules carry the
marker as ``pytestmark``. ``slow`` (more than about a second) and ``container`` are written
by hand.

A module of slow tests only whose collection alone costs seconds (:data:`SLOW_MODULES`) is not
even imported when ``-m`` deselects every slow test, as the fast path does; each of its tests
must carry ``slow``, or the run stops.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

try:  # pytest's own -m parser (private): without it every module is collected, as before
    from _pytest.mark.expression import Expression
except ImportError:  # pragma: no cover - a pytest that moved it
    Expression = None  # type: ignore[assignment,misc]

#: Modules of slow tests only that are costly to collect, relative to tests/: schemathesis
#: builds a test for every operation of the OpenAPI document as the module is collected.
SLOW_MODULES = frozenset({"kartra_mock/server/test_schemathesis.py"})
_TESTS = Path(__file__).parent

#: Tiers that say what a test starts; each is checked by the guard.
COSTS = ("socket", "subprocess", "browser", "php", "node")
_SOCKET_FIXTURES = frozenset({"kartra_server", "kartra_live", "kartra_receiver"})
_VIOLATIONS = pytest.StashKey[list[str]]()


def tiers_of(item: pytest.Item) -> set[str]:
    """The cost tiers of one test (``unit`` when it has none and is no container test)."""
    tiers = {name for name in COSTS if item.get_closest_marker(name) is not None}
    if _SOCKET_FIXTURES & set(getattr(item, "fixturenames", ())):
        tiers.add("socket")
    if tiers & {"browser", "php", "node"}:
        tiers.add("subprocess")
    if not tiers and item.get_closest_marker("container") is None:
        tiers.add("unit")
    return tiers


def selects_slow_tests(markexpr: str) -> bool:
    """Whether ``-m markexpr`` keeps a test marked ``slow`` for some set of its other markers
    (when pytest's expression parser cannot be reached: yes, so nothing is left out)."""
    if Expression is None:
        return True
    expression = Expression.compile(markexpr)
    # Every assignment of the other markers the expression asks about, each tried once.
    pending: list[dict[str, bool]] = [{}]
    while pending:
        known = pending.pop()
        unknown: list[str] = []
        if expression.evaluate(_SlowTest(known, unknown)):
            return True
        if unknown:
            pending += [{**known, unknown[0]: False}, {**known, unknown[0]: True}]
    return False


class _SlowTest:
    """The markers of a slow test: ``known`` says which others it has, ``unknown`` gets the rest."""

    def __init__(self, known: dict[str, bool], unknown: list[str]) -> None:
        self.known = known
        self.unknown = unknown

    def __call__(self, name: str, /, **kwargs: str | int | bool | None) -> bool:
        if name == "slow" and not kwargs:
            return True
        marker = f"{name}{sorted(kwargs.items())}"
        if marker not in self.known:
            self.unknown.append(marker)
        return self.known.get(marker, False)


def _is_slow_module(path: Path) -> bool:
    return path.is_relative_to(_TESTS) and path.relative_to(_TESTS).as_posix() in SLOW_MODULES


def skips_module(path: Path, markexpr: str) -> bool:
    """Whether to leave a module of :data:`SLOW_MODULES` uncollected: ``-m`` drops its tests."""
    return bool(markexpr) and _is_slow_module(path) and not selects_slow_tests(markexpr)


def mark_tiers(items: list[pytest.Item]) -> None:
    """Add the tier markers a test has by its fixtures or by implication."""
    for item in items:
        if _is_slow_module(item.path) and item.get_closest_marker("slow") is None:
            raise pytest.UsageError(f"{item.nodeid} must be marked slow (tests/tiers.py)")
        for tier in sorted(tiers_of(item)):
            if item.get_closest_marker(tier) is None:
                item.add_marker(tier)


def _needed_for(args: Any) -> str:
    """The marker a child process calls for: ``php``, ``browser``, ``node`` or ``subprocess``."""
    first = args if isinstance(args, str | bytes | os.PathLike) else next(iter(args), "")
    program = os.path.basename(os.fsdecode(first))
    if program.startswith("php"):
        return "php"
    if "chrom" in program:
        return "browser"
    if program.startswith("node"):
        return "node"
    return "subprocess"


@contextlib.contextmanager
def guard(item: pytest.Item) -> Iterator[None]:
    """While the test runs, note any child process or bound socket it has no marker for."""
    violations = item.stash.setdefault(_VIOLATIONS, [])
    # Popen._execute_child is private but is where every child process starts (CPython 3.11+);
    # the stubs do not declare it, and the stubs forbid assigning methods.
    start_child = subprocess.Popen._execute_child  # type: ignore[attr-defined]
    bind = socket.socket.bind

    def note(marker: str, what: str) -> None:
        if item.get_closest_marker(marker) is None:
            violations.append(f"{what}: mark the test @pytest.mark.{marker} (CONTRIBUTING.md)")

    def watched_child(self: subprocess.Popen[Any], args: Any, *rest: Any) -> Any:
        note(_needed_for(args), f"it starts a child process {args!r}"[:200])
        return start_child(self, args, *rest)

    def watched_bind(self: socket.socket, address: Any) -> None:
        note("socket", f"it binds a socket to {address!r}")
        bind(self, address)

    subprocess.Popen._execute_child = watched_child  # type: ignore[attr-defined]
    socket.socket.bind = watched_bind  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        subprocess.Popen._execute_child = start_child  # type: ignore[attr-defined]
        socket.socket.bind = bind  # type: ignore[method-assign]


def check(item: pytest.Item, report: pytest.TestReport) -> None:
    """Turn the test's teardown into a failure if the guard saw an unmarked cost."""
    violations = item.stash.get(_VIOLATIONS, [])
    if report.when == "teardown" and violations and report.passed:
        report.outcome = "failed"
        report.longrepr = "the test tiers are wrong: " + "; ".join(sorted(set(violations)))
