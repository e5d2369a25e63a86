"""Testing tools: the :class:`KartraMock` handle, in-process transports, interception, and the
pytest plugin (:mod:`kartra_mock.testing.pytest_plugin`).

Importing this package is cheap (the pytest plugin loads through it); the handle and the
transport load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kartra_mock.testing.asgi import SyncASGITransport
    from kartra_mock.testing.handle import KartraMock, MockError

__all__ = ["KartraMock", "MockError", "SyncASGITransport"]


def __getattr__(name: str) -> object:
    if name in ("KartraMock", "MockError"):
        from kartra_mock.testing import handle

        return getattr(handle, name)
    if name == "SyncASGITransport":
        from kartra_mock.testing import asgi

        return asgi.SyncASGITransport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
