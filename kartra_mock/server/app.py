"""The app factory: one starlette app over one :class:`~kartra_mock.engine.backend.Backend`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.admin import AdminTokenMiddleware
from kartra_mock.server.api import api_endpoint
from kartra_mock.server.connections import DEFAULT_BODY_TIMEOUT, ConnectionGuard
from kartra_mock.server.control import control_routes
from kartra_mock.server.faults import fault_routes
from kartra_mock.server.inspector import inspector_routes
from kartra_mock.server.logs import escape
from kartra_mock.server.openapi import openapi_routes
from kartra_mock.server.outbound import outbound_routes
from kartra_mock.server.seeding import seed_routes
from kartra_mock.server.snapshot import snapshot_routes

__all__ = ["create_app"]

logger = logging.getLogger("kartra_mock.server")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse(
        {"error": exc.detail, "path": request.url.path},
        status_code=exc.status_code,
        headers=exc.headers,
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    # A bug in the mock; answer with JSON rather than a bare traceback page, and log it.
    logger.exception("unexpected error on %s %s", request.method, escape(request.url.path))
    return JSONResponse({"error": f"internal error in kartra-mock: {exc!r}"}, status_code=500)


def create_app(
    state: Mapping[str, object] | None = None,
    *,
    backend: Backend | None = None,
    overrides: Overrides | None = None,
    state_file: Path | None = None,
    admin_token: str | None = None,
    body_timeout: float = DEFAULT_BODY_TIMEOUT,
) -> Starlette:
    """The mock as an ASGI app, from a state document (default: the built-in world).

    ``state_file`` is where ``POST /_mock/snapshot`` writes; ``admin_token``, if given, guards
    the control plane (``/api`` never needs it). ``body_timeout``: seconds a request body may
    stall between two reads before the answer is 408 and the connection closes.

    Example::

        app = create_app()
        client = httpx.Client(transport=SyncASGITransport(app), base_url="http://kartra")
    """
    if not body_timeout > 0:
        raise ValueError(f"the body timeout must be more than 0 seconds, not {body_timeout}")
    if backend is None:
        backend = Backend(state, overrides=overrides)
    api = api_endpoint(backend)
    routes = [
        Route("/api", api, methods=["GET", "POST"]),
        Route("/api/", api, methods=["GET", "POST"]),
        *control_routes(backend),
        *seed_routes(backend),
        *fault_routes(backend),
        *outbound_routes(backend),
        *snapshot_routes(backend, state_file),
        *openapi_routes(),
        *inspector_routes(),
    ]
    middleware = [Middleware(ConnectionGuard, timeout=body_timeout)]
    if admin_token:
        middleware.append(Middleware(AdminTokenMiddleware, token=admin_token))
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},
    )
