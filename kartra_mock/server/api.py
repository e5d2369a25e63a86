"""``/api``: read the body within limits, decode it as PHP would, answer as Kartra would."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from kartra_mock import forms, rules, wire
from kartra_mock.domain.auth import CallContext
from kartra_mock.domain.backend import ApiRequest, Backend
from kartra_mock.server.faults import fault_response
from kartra_mock.server.logs import log_call

__all__ = ["MAX_BODY", "Endpoint", "api_endpoint"]

Endpoint = Callable[[Request], Awaitable[Response]]

#: Beyond this the server refuses the body (SPEC §2); up to it, PHP's own limits apply.
MAX_BODY = 64 * 1024 * 1024


async def _read_body(request: Request) -> bytes | None:
    """The body, or ``None`` once it grows past :data:`MAX_BODY` (nothing more is read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _is_json(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.lower() == "https"


def api_endpoint(backend: Backend) -> Endpoint:
    """The ``/api`` handler bound to one backend."""

    async def api(request: Request) -> Response:
        started = time.perf_counter()
        body = await _read_body(request)
        if body is None:
            return Response(
                wire.encode_json({"error": f"request body larger than {MAX_BODY} bytes"}),
                status_code=413,
                media_type="application/json",
            )
        content_type = request.headers.get("content-type")
        decoded_body = forms.decode_body(body, content_type)
        query = forms.parse_str(request.scope.get("query_string", b""))
        merged = forms.merge_request(query, decoded_body)
        params = merged.params
        warnings = list(merged.warnings)
        if query.params:
            keys = ", ".join(sorted(query.params))
            warnings.append(rules.QUERY_STRING_PARAMS.warn(f"query string carries {keys}"))
        if _is_json(content_type):
            params, lead_warnings = wire.unwrap_lead_list(params)
            warnings.extend(lead_warnings)
        client = request.client
        reply = backend.handle(
            ApiRequest(
                params=params,
                wire_warnings=tuple(warnings),
                method=request.method,
                path=request.url.path,
                context=CallContext(
                    client_ip=client.host if client else "", https=_is_https(request)
                ),
            )
        )
        response = await fault_response(reply) or Response(
            wire.encode_json(reply.body),
            status_code=reply.status_code,
            media_type=wire.CONTENT_TYPES[backend.settings.content_type],
        )
        log_call(request.method, request.url.path, params, reply, time.perf_counter() - started)
        return response

    return api
