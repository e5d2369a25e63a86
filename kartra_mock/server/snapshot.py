"""``POST /_mock/snapshot``: write the current world to the ``--state`` file, atomically.

Only the file the server was started with is ever written: a control plane that wrote any path
it was sent would let every caller of a shared CI server overwrite that server's files
(inferred; our decision). Without a state file the route answers 409 and says how to get one.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartra_mock.engine.backend import Backend
from kartra_mock.engine.persistence import save_state

__all__ = ["snapshot_routes"]


def snapshot_routes(backend: Backend, state_file: Path | None) -> list[Route]:
    """The snapshot route, bound to one backend and the file it may write."""

    async def snapshot(request: Request) -> Response:
        if state_file is None:
            return JSONResponse(
                {
                    "error": "no state file to write: start the server with --state FILE "
                    "(create_app(state_file=...)) to take snapshots"
                },
                status_code=409,
            )
        try:
            # Dumping, serialising and fsync-ing a large world takes a while: off the event loop.
            size = await run_in_threadpool(lambda: save_state(state_file, backend.state()))
        except OSError as exc:
            return JSONResponse(
                {"error": f"cannot write the state file {state_file}: {exc}"}, status_code=500
            )
        return JSONResponse({"status": "ok", "path": str(state_file), "bytes": size})

    return [Route("/_mock/snapshot", snapshot, methods=["POST"])]
