"""The pytest plugin's former path, kept for installs whose ``pytest11`` entry point still names it.

The plugin lives in :mod:`kartra_mock.testing.pytest_plugin`; this module hands on its hooks and
fixtures unchanged. Re-installing the package (``pip install -e .``) points the entry point there.
"""

from __future__ import annotations

from kartra_mock.testing.pytest_plugin import (
    MockConfig,
    kartra_client,
    kartra_inprocess,
    kartra_live,
    kartra_mock,
    kartra_receiver,
    kartra_server,
    pytest_addoption,
    pytest_configure,
    pytest_terminal_summary,
)

__all__ = [
    "MockConfig",
    "kartra_client",
    "kartra_inprocess",
    "kartra_live",
    "kartra_mock",
    "kartra_receiver",
    "kartra_server",
    "pytest_addoption",
    "pytest_configure",
    "pytest_terminal_summary",
]
