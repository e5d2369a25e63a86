"""The control plane, ``/_mock/...``: health, reset, state, lead deletion, journal
(docs/control-plane.md)."""

from __future__ import annotations

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartra_mock import __version__
from kartra_mock.engine import dumping
from kartra_mock.engine.backend import Backend, StateError
from kartra_mock.protocol.numbers import parse_whole
from kartra_mock.server.bodies import error, parse_json_object

__all__ = ["JOURNAL_CLEARS_HEADER", "control_routes"]

#: On ``GET /_mock/requests``: how many times the journal was cleared (or reset) so far.
JOURNAL_CLEARS_HEADER = "X-Journal-Clears"


def _dump(backend: Backend) -> bytes:
    # As JSONResponse renders, but off the event loop.
    return dumping.encode(backend.state())


def _load(backend: Backend, raw: bytes) -> Response:
    document = parse_json_object(raw, "the state document")
    if isinstance(document, JSONResponse):
        return document
    try:
        backend.put_state(document)
    except StateError as exc:
        return error(422, f"invalid state document: {exc}")
    except RecursionError:
        return error(422, "invalid state document: nested too deeply")
    return JSONResponse({"status": "ok"})


def control_routes(backend: Backend) -> list[Route]:
    """The control-plane routes bound to one backend."""

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    # Whole-world work (reset, dump, load) runs in a worker thread: /api keeps answering on
    # the event loop meanwhile, and waits for the backend's lock only while a world is swapped.

    async def reset(request: Request) -> Response:
        api_key = request.query_params.get("api_key")
        await to_thread.run_sync(backend.reset, api_key)
        return JSONResponse({"status": "ok", "reset": api_key or "all"})

    async def state(request: Request) -> Response:
        # One route for both methods, so a 405 lists both in its Allow header.
        if request.method != "PUT":
            body = await to_thread.run_sync(_dump, backend)
            return Response(body, media_type="application/json")
        raw = await request.body()
        return await to_thread.run_sync(_load, backend, raw)

    async def delete_lead(request: Request) -> Response:
        api_key = request.path_params["api_key"]
        raw_id = request.path_params["lead_id"]
        lead_id = parse_whole(raw_id)
        if lead_id is None:
            return error(404, f"lead id must be a positive integer, not {raw_id[:40]!r}")
        if not backend.delete_lead(api_key, lead_id):
            return error(404, f"account {api_key!r} has no lead {raw_id}")
        return JSONResponse({"status": "ok", "api_key": api_key, "lead_id": raw_id})

    async def requests(request: Request) -> Response:
        api_key = request.query_params.get("api_key")
        if request.method == "DELETE":
            backend.clear_journal(api_key)
            return JSONResponse({"status": "ok"})
        # ``since=SEQ``: only the calls after that one, so a watcher (the inspector) polls
        # cheaply; the clears header tells it when calls it already shows were forgotten.
        raw_since = request.query_params.get("since", "0")
        # (The length bound keeps int() from refusing a huge number with a ValueError.)
        since = parse_whole(raw_since)
        if since is None:
            shown = raw_since[:40]
            return error(422, f"since must be a journal seq (an integer >= 0), not {shown!r}")
        clears, entries = backend.journal_page(api_key, since)
        return JSONResponse(
            {"requests": [entry.to_json() for entry in entries]},
            headers={JOURNAL_CLEARS_HEADER: str(clears)},
        )

    return [
        Route("/_mock/health", health, methods=["GET"]),
        Route("/_mock/reset", reset, methods=["POST"]),
        Route("/_mock/state", state, methods=["GET", "PUT"]),
        Route("/_mock/accounts/{api_key}/leads/{lead_id}/delete", delete_lead, methods=["POST"]),
        Route("/_mock/requests", requests, methods=["GET", "DELETE"]),
    ]
