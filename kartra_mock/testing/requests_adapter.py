"""``requests`` answers from an in-process app, built as ``requests`` builds a socket's.

The answer becomes a ``urllib3.HTTPResponse`` over the body bytes (as the ``responses``
library does), handed to ``HTTPAdapter.build_response``: ``raw``, ``stream=True``,
``iter_content``, ``iter_lines``, headers, ``url``, ``reason``, ``encoding`` and cookies are
what ``requests`` itself makes of a socket's answer. Failures are mapped here, at the
boundary: a dropped connection leaves the body short of its ``Content-Length``, so reading it
raises ``ChunkedEncodingError`` exactly as over a socket; no answer within the read timeout
raises ``ReadTimeout``.
"""

from __future__ import annotations

import io
from http.client import responses as reasons
from typing import TYPE_CHECKING, Any

import httpx

from kartra_mock.testing.asgi import AnswerTimeout, SyncASGITransport

if TYPE_CHECKING:
    import requests
    import requests.adapters

__all__ = ["requests_response"]


class _OriginalResponse:
    """What ``requests`` reads cookies from: ``_original_response.msg`` (the headers)."""

    def __init__(self, headers: Any) -> None:
        self.msg = headers

    def isclosed(self) -> bool:
        return True

    def close(self) -> None:
        return None


def _read_timeout(timeout: Any) -> float | None:
    """The read part of any timeout ``requests`` accepts: seconds, a pair, urllib3's object."""
    if isinstance(timeout, tuple):
        timeout = timeout[1]
    read = getattr(timeout, "read_timeout", timeout)
    return float(read) if isinstance(read, int | float) else None


def requests_response(
    adapter: requests.adapters.HTTPAdapter,
    transport: SyncASGITransport,
    request: requests.PreparedRequest,
    timeout: Any,
) -> requests.Response:
    """Send ``request`` through ``transport``; the answer as ``adapter`` builds a socket's."""
    from requests.exceptions import ReadTimeout
    from urllib3 import HTTPHeaderDict, HTTPResponse
    from urllib3.exceptions import ReadTimeoutError

    body = request.body
    content = body.encode() if isinstance(body, str) else body
    if content is not None and not isinstance(content, bytes):
        content = b"".join(content)
    read = _read_timeout(timeout)
    headers = [(name.encode(), value.encode()) for name, value in request.headers.items()]
    try:
        answer = transport.exchange(
            httpx.URL(request.url or ""), request.method or "GET", headers, content or b"", read
        )
    except AnswerTimeout:
        error = ReadTimeoutError(None, request.url or "", f"Read timed out. (read timeout={read})")  # type: ignore[arg-type]
        raise ReadTimeout(error, request=request) from None
    raw_headers = HTTPHeaderDict()
    for name, value in answer.headers:
        raw_headers.add(name.decode("latin-1"), value.decode("latin-1"))
    raw = HTTPResponse(
        body=io.BytesIO(answer.body),
        headers=raw_headers,
        status=answer.status,
        reason=reasons.get(answer.status),
        preload_content=False,
        decode_content=False,
        original_response=_OriginalResponse(raw_headers),  # type: ignore[arg-type]
        request_method=request.method,
        request_url=request.url,
        enforce_content_length=True,
    )
    return adapter.build_response(request, raw)
