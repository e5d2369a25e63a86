"""kartra-mock: a faithful, stateful fake of Kartra's inbound API, with a contract-testing kit.

Importing this package is cheap; the server's dependencies load when an app is created.

Example::

    import httpx, kartra_mock
    app = kartra_mock.create_app()
    with httpx.Client(transport=httpx.ASGITransport(app), base_url="http://kartra") as http:
        http.post("/api", data={"app_id": "demo-app", ...})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from kartra_mock.engine.backend import Backend, Overrides

__all__ = ["DEMO_API_KEY", "DEMO_API_PASSWORD", "DEMO_APP_ID", "__version__", "create_app"]

__version__ = "0.1.0"

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
