"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests import tiers
from tests.helpers import Api

pytest_plugins = ["pytester"]


@pytest.fixture
def api() -> Iterator[Api]:
    """A fresh in-process mock of the built-in world, rate limit off."""
    harness = Api()
    yield harness
    harness.close()


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The fast path does not even import a module of slow tests only: tests/tiers.py."""
    return tiers.skips_module(collection_path, config.option.markexpr) or None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its tiers (unit, socket, subprocess, browser, php): tests/tiers.py."""
    tiers.mark_tiers(items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    with tiers.guard(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    with tiers.guard(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    with tiers.guard(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A test that starts what its tiers do not say fails at teardown: tests/tiers.py."""
    report = yield
    tiers.check(item, report)
    return report
