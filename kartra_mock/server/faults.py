"""Fault injection on the wire: the ``/_mock/faults`` routes and what a faulted answer looks like.

Which call gets which fault is decided in :mod:`kartra_mock.engine.faults`, under the backend's
lock; this module only makes it happen on the wire:

* ``latency_ms`` (any kind): the answer waits, with ``asyncio.sleep``, so other calls go on;
* ``server_error``: HTTP 500/502/503/504 with the HTML page nginx serves in front of PHP-FPM
  (inferred: Kartra's front end is not documented; nginx's pages are what a PHP stack most
  often sends, and the point is that the body is HTML, not JSON);
* ``drop``: the status line and headers go out, then the connection closes before the body:
  an HTTP client sees a broken connection (httpx ``RemoteProtocolError``, PHP cURL error 18).
  In-process there is no connection to close, so the app raises :class:`ConnectionDropped`, a
  neutral error: each in-process transport (:mod:`kartra_mock.testing.asgi`, the
  ``requests`` adapter of :mod:`kartra_mock.testing.intercept`) maps it to what its library
  raises over a socket.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from kartra_mock.engine.backend import Backend, Reply
from kartra_mock.engine.faults import FaultError, FaultHit, FaultKind, parse_schedule
from kartra_mock.protocol.numbers import parse_whole
from kartra_mock.server.bodies import error, json_object

__all__ = [
    "ConnectionDropped",
    "DroppedConnection",
    "error_page",
    "fault_response",
    "fault_routes",
]

_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}

# The app's error handler and uvicorn log a failed answer as an error, with its exception; a
# drop is no bug, so records that carry a ConnectionDropped are filtered out.
_NOISY_LOGGERS = ("uvicorn.error", "kartra_mock.server")


def error_page(status: int) -> bytes:
    """nginx's own error page for ``status``, byte for byte (inferred, see module docstring)."""
    title = f"{status} {_REASONS[status]}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


class ConnectionDropped(Exception):
    """A drop fault: a server closes the connection on it, an in-process transport maps it."""


class _OurDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_OUR_DROPS = _OurDrops()


class DroppedConnection(Response):
    """Starts an answer that promises a body, then fails it with :class:`ConnectionDropped`.

    uvicorn closes the connection of an answer that failed once started: the client sees the
    status line and headers, then the end of the stream, never a complete answer.
    """

    def __init__(self, fault_id: int) -> None:
        super().__init__(status_code=200)
        self.fault_id = fault_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        for name in _NOISY_LOGGERS:
            logging.getLogger(name).addFilter(_OUR_DROPS)  # idempotent
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", b"1024"), (b"connection", b"close")],
            }
        )
        raise ConnectionDropped(
            f"kartra-mock dropped the connection: injected fault #{self.fault_id} (kind drop)"
        )


async def fault_response(reply: Reply) -> Response | None:
    """Apply a reply's fault on the wire: wait, then the faulted answer (``None``: the usual)."""
    hit: FaultHit | None = reply.fault
    if hit is None:
        return None
    fault = hit.fault
    if fault.latency_ms:
        await asyncio.sleep(fault.latency_ms / 1000)
    if fault.kind is FaultKind.DROP:
        return DroppedConnection(hit.id)
    if fault.kind is FaultKind.SERVER_ERROR:
        # nginx's own header, without the charset starlette would add to a media type.
        return Response(
            error_page(fault.status),
            status_code=fault.status,
            headers={"content-type": "text/html"},
        )
    return None


def fault_routes(backend: Backend) -> list[Route]:
    """``/_mock/faults``: schedule (``POST``), list (``GET``), clear (``DELETE``) faults."""

    async def faults(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"faults": backend.faults()})
        if request.method == "DELETE":
            removed = backend.clear_faults(request.query_params.get("api_key"))
            return JSONResponse({"status": "ok", "removed": removed})
        document = await json_object(request, "the fault", ', e.g. {"kind": "drop"}')
        if isinstance(document, JSONResponse):
            return document
        try:
            scheduled = backend.schedule_fault(parse_schedule(document))
        except FaultError as exc:
            return error(422, f"invalid fault: {exc}")
        return JSONResponse({"status": "ok", "fault": scheduled})

    async def one_fault(request: Request) -> Response:
        raw_id = request.path_params["fault_id"]
        fault_id = parse_whole(raw_id)
        if fault_id is None or not backend.remove_fault(fault_id):
            return error(404, f"no pending fault with id {raw_id[:40]!r}")
        return JSONResponse({"status": "ok", "removed": 1})

    return [
        Route("/_mock/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_mock/faults/{fault_id}", one_fault, methods=["DELETE"]),
    ]
