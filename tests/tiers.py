"""The test tiers: each collected test gets exactly the markers its costs call for.

Rules (applied by ``pytest_collection_modifyitems`` in ``tests/conftest.py``; CONTRIBUTING.md
lists the tiers):

* ``browser`` — the test lives under ``tests/browser/`` (drives a real Chromium);
* ``php`` — its module's file name contains ``php`` (runs the ``php`` interpreter as an oracle);
* ``subprocess`` — its module imports ``subprocess`` or anything of ``tests/serving.py``
  (starts ``kartra-mock``, ``php`` or Python in a child process);
* ``socket`` — the test uses the ``kartra_server`` / ``kartra_live`` fixtures, or its module
  imports ``ThreadedServer`` or ``tests/contracts/servers.py`` (a real server on a port);
* ``unit`` — none of those, nor ``container``: in-process, no port, no child process.

``slow`` and ``container`` are set by hand on the modules that need them.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
_SOCKET_FIXTURES = frozenset({"kartra_server", "kartra_live"})
_SOCKET_MODULES = frozenset({"tests.contracts.servers", "kartra_mock.server.threaded"})
_OWN = frozenset({"unit", "socket", "subprocess", "browser", "php"})


def _imports(module: types.ModuleType) -> set[str]:
    """The modules a test module's globals come from (modules themselves and their members)."""
    sources: set[str] = set()
    for value in vars(module).values():
        if isinstance(value, types.ModuleType):
            sources.add(value.__name__)
        else:
            origin = getattr(value, "__module__", None)
            if isinstance(origin, str):
                sources.add(origin)
    return sources


def tiers_of(item: pytest.Item) -> set[str]:
    """The tiers one test belongs to (``unit`` when nothing costlier applies)."""
    path = Path(str(item.path))
    module = getattr(item, "module", None)
    sources = _imports(module) if isinstance(module, types.ModuleType) else set()
    fixtures = set(getattr(item, "fixturenames", ()))
    tiers: set[str] = set()
    if TESTS / "browser" in path.parents:
        tiers.add("browser")
    if "php" in path.name:
        tiers.add("php")
    if sources & {"subprocess", "tests.serving"}:
        tiers.add("subprocess")
    if fixtures & _SOCKET_FIXTURES or sources & _SOCKET_MODULES:
        tiers.add("socket")
    if not tiers and item.get_closest_marker("container") is None:
        tiers.add("unit")
    return tiers


def mark_tiers(items: list[pytest.Item]) -> None:
    """Add each test's tier markers (markers already set by hand are kept)."""
    for item in items:
        for tier in sorted(
            tiers_of(item) - {m.name for m in item.iter_markers() if m.name in _OWN}
        ):
            item.add_marker(getattr(pytest.mark, tier))
