"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import Api
from tests.tiers import mark_tiers

pytest_plugins = ["pytester"]


@pytest.fixture
def api() -> Iterator[Api]:
    """A fresh in-process mock of the built-in world, rate limit off."""
    harness = Api()
    yield harness
    harness.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its tiers (unit, socket, subprocess, browser, php): tests/tiers.py."""
    mark_tiers(items)
