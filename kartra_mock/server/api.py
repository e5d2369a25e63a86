"""``/api``: read the body within limits, decode it as PHP would, answer as Kartra would.

The endpoint is a raw ASGI app rather than a starlette ``Request -> Response`` function: it is
the hot path of every test suite, and building starlette's request and response objects
(URL, headers, ...) for each call cost as much as decoding the form (``benchmarks/``).
Starlette's ``Route`` runs a class instance as it is, so routing, middleware and the app's
error handlers still apply; faulted answers are still starlette responses.
"""

from __future__ import annotations

import time
from dataclasses import replace

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from kartra_mock.domain.auth import CallContext
from kartra_mock.engine.backend import ApiRequest, Backend
from kartra_mock.protocol import forms, rules, wire
from kartra_mock.protocol.numbers import parse_whole
from kartra_mock.server.faults import fault_response
from kartra_mock.server.logs import log_call

__all__ = ["MAX_BODY", "ApiEndpoint", "api_endpoint"]

#: Beyond this the server refuses the body (docs/behaviour.md#wire); up to it, PHP's own limits
#: apply.
MAX_BODY = 64 * 1024 * 1024

_CONTENT_TYPES = {name: value.encode("latin-1") for name, value in wire.CONTENT_TYPES.items()}


async def _read_body(receive: Receive, declared: str) -> bytes | None:
    """The body, or ``None`` once it grows past :data:`MAX_BODY` (nothing more is read)."""
    # All digits but too long for the number parser: beyond any limit too.
    length = parse_whole(declared)
    if declared.isascii() and declared.isdigit() and (length is None or length > MAX_BODY):
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # http.disconnect: as starlette's Request does
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        more = message.get("more_body", False)
        if not more and not chunks:
            return chunk if len(chunk) <= MAX_BODY else None  # the usual case: one message
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not more:
            return b"".join(chunks)


def _is_json(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


async def _answer(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    """The headers a starlette ``Response`` writes (length, then type), and the body."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-length", str(len(body)).encode()),
                (b"content-type", content_type),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ApiEndpoint:
    """The ``/api`` handler bound to one backend, as an ASGI app."""

    __slots__ = ("_backend",)

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one call: decode, hand it to the backend, encode (or apply a fault)."""
        started = time.perf_counter()
        # The first value of each header starlette's Request would have read (names are
        # lower case in ASGI).
        content_type: str | None = None
        length = forwarded = ""
        for name, value in scope["headers"]:
            if name == b"content-type" and content_type is None:
                content_type = value.decode("latin-1")
            elif name == b"content-length" and not length:
                length = value.decode("latin-1")
            elif name == b"x-forwarded-proto" and not forwarded:
                forwarded = value.decode("latin-1")
        body = await _read_body(receive, length)
        read = time.perf_counter()
        if body is None:
            error = {"error": f"request body larger than {MAX_BODY} bytes"}
            await _answer(send, 413, wire.encode_json(error), b"application/json")
            return
        decoded = forms.decode_body(body, content_type)
        is_json = _is_json(content_type)
        query_string: bytes = scope.get("query_string", b"")
        if query_string:
            query = forms.parse_str(query_string)
            merged = forms.merge_request(query, decoded)
            params = merged.params
            warnings = list(merged.warnings)
            if query.params:
                keys = ", ".join(sorted(query.params))
                warnings.append(rules.QUERY_STRING_PARAMS.warn(f"query string carries {keys}"))
        else:  # merging nothing into the body: the body's own parameters, unchanged
            params = decoded.params
            warnings = list(decoded.warnings)
        if is_json:
            params, lead_warnings = wire.unwrap_lead_list(params)
            warnings.extend(lead_warnings)
        client = scope.get("client")
        method: str = scope["method"]
        path: str = scope["path"]
        https = scope.get("scheme") == "https" or forwarded.lower() == "https"
        decoded_at = time.perf_counter()
        reply = self._backend.handle(
            ApiRequest(
                params=params,
                wire_warnings=tuple(warnings),
                method=method,
                path=path,
                context=CallContext(client_ip=client[0] if client else "", https=https),
                # A form's names and values are never longer than the raw request; JSON's
                # can be (numbers), so the journal measures those.
                wire_size=None if is_json else len(body) + len(query_string),
            )
        )
        faulted = None if reply.fault is None else await fault_response(reply)
        # An injected latency counts as handling time; the backend timed the encoding.
        handled = time.perf_counter() - decoded_at - reply.timings.encode
        timings = replace(
            reply.timings, read=read - started, decode=decoded_at - read, handle=handled
        )
        # Logged before the answer goes out: a dropped connection raises while sending.
        log_call(method, path, params, reply, timings)
        if faulted is not None:
            await faulted(scope, receive, send)
        else:
            await _answer(
                send, reply.status_code, reply.payload, _CONTENT_TYPES[reply.content_type]
            )


def api_endpoint(backend: Backend) -> ApiEndpoint:
    """The ``/api`` handler bound to one backend."""
    return ApiEndpoint(backend)
