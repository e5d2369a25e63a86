"""Seeding one item: ``POST /_mock/accounts/{api_key}/{kind}`` for each kind the engine seeds.

The body is one item as the state document writes it (a lead, ``{"name": "VIP"}`` for a tag,
list or page, a custom field, a sequence, a calendar); a refusal is a 422 naming what is
wrong, and changes nothing (docs/control-plane.md, "Seeding one item").
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from kartra_mock.engine.backend import Backend, StateError
from kartra_mock.engine.seeding import SEED_KINDS, SeedKind
from kartra_mock.server.bodies import error

__all__ = ["seed_routes"]


class _Seed:
    """One kind's route, bound to the backend."""

    def __init__(self, backend: Backend, kind: SeedKind) -> None:
        self._backend = backend
        self._kind = kind

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self._answer(request)
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        api_key = request.path_params["api_key"]
        try:
            item = json.loads(await request.body())
        except (ValueError, RecursionError) as exc:
            return error(422, f"the body is not valid JSON: {exc}")
        try:
            added = self._backend.seed(api_key, self._kind, item)
        except StateError as exc:
            return error(422, f"invalid item: {exc}")
        except RecursionError:
            return error(422, "invalid item: nested too deeply")
        return JSONResponse({"status": "ok", "api_key": api_key, **added})


def seed_routes(backend: Backend) -> list[Route]:
    """``POST /_mock/accounts/{api_key}/leads``, ``.../tags``, ... bound to one backend."""
    return [
        Route(f"/_mock/accounts/{{api_key}}/{kind}", _Seed(backend, kind), methods=["POST"])
        for kind in SEED_KINDS
    ]
