"""Fixtures for the browser tests: one headless Chromium per module, a real server per test.

Without Chromium these tests skip, saying so (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from tests.browser.cdp import Browser, Page, chromium_path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A headless Chromium, shared by the tests of one module (each gets its own tab)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    with Browser.launch(executable, tmp_path_factory.mktemp("chromium")) as running:
        yield running


@pytest.fixture
def backend() -> Backend:
    """The served mock's backend: the built-in world, rate limit off."""
    return Backend(overrides=Overrides(rate_limit=0))


@pytest.fixture
def server(backend: Backend) -> Iterator[ThreadedServer]:
    """A real uvicorn server on a free port, over ``backend``."""
    with ThreadedServer(create_app(backend=backend)) as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab, 1280 × 900."""
    tab = browser.new_page()
    yield tab
    tab.close()


@pytest.fixture
def artifacts() -> Path:
    """``test-artifacts/`` at the top of the checkout (gitignored; CI keeps it)."""
    return Path(__file__).parents[2] / "test-artifacts"
