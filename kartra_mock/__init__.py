"""kartra-mock: a faithful, stateful fake of Kartra's inbound API, with a contract-testing kit.

Importing this package is cheap; the server's dependencies load when an app is created.

Example::

    import httpx, kartra_mock
    from kartra_mock.testing.asgi import SyncASGITransport

    app = kartra_mock.create_app()
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://kartra") as http:
        http.post("/api", data={"app_id": "demo-app", ...})

(``httpx.ASGITransport`` serves an ``httpx.AsyncClient`` the same way.)
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from kartra_mock.engine.backend import Backend, Overrides

__all__ = ["DEMO_API_KEY", "DEMO_API_PASSWORD", "DEMO_APP_ID", "__version__", "create_app"]

try:
    #: The installed distribution's version: pyproject.toml is its one source.
    __version__ = version("kartra-mock")
except PackageNotFoundError:  # a source tree on sys.path, never installed
    __version__ = "0+unknown"

#: The built-in demo credentials (docs/behaviour.md#accounts), printed by ``kartra-mock serve``.
DEMO_APP_ID = "demo-app"
DEMO_API_KEY = "demo-key"
DEMO_API_PASSWORD = "demo-password"


def create_app(
    state: Mapping[str, object] | None = None,
    *,
    backend: Backend | None = None,
    overrides: Overrides | None = None,
) -> Starlette:
    """The mock as an ASGI app; see :func:`kartra_mock.server.app.create_app`."""
    from kartra_mock.server.app import create_app as factory

    return factory(state, backend=backend, overrides=overrides)
