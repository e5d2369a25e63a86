"""The pytest plugin's former path, kept for installs whose ``pytest11`` entry point still names it.

The plugin lives in :mod:`kartra_mock.testing.pytest_plugin`; this module hands on its hooks and
fixtures unchanged. Re-installing the package (``pip install -e .``) points the entry point there.
"""

from __future__ import annotations

from kartra_mock.testing import pytest_plugin as _plugin
from kartra_mock.testing.pytest_plugin import *  # noqa: F403 - its public names: the fixtures
from kartra_mock.testing.pytest_plugin import (
    # Not public, but pytest looks fixtures up on the module it loads: kartra_live needs it.
    _kartra_live_http as _kartra_live_http,
)
from kartra_mock.testing.pytest_plugin import (
    pytest_addoption,
    pytest_configure,
    pytest_terminal_summary,
)

__all__ = [*_plugin.__all__, "pytest_addoption", "pytest_configure", "pytest_terminal_summary"]
