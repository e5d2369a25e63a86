"""The web inspector at ``/_mock/``: a plain-JavaScript page over the control plane's JSON.

Four static files ship as package data in ``kartra_mock/server/inspector/`` (no front-end
build step, nothing fetched from elsewhere, so it works offline). The page reads
``GET /_mock/state`` and polls ``GET /_mock/requests?since=SEQ`` (and, for its Webhooks tab,
``GET /_mock/deliveries?since=SEQ``) once a second, and its buttons
call ``POST /_mock/reset?api_key=`` and ``POST /_mock/accounts/{key}/leads/{id}/delete``.
The files hold no data (the page is filled in with one fact, the names of the documented
profile fields), so they are safe to serve without the admin token; the page sends the token
(``/_mock/?token=…``, kept in the tab's sessionStorage) on every fetch.

Example::

    kartra-mock serve        # then open http://127.0.0.1:8765/_mock/
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.resources import files

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kartra_mock.protocol.facts import PROFILE_FIELDS

__all__ = ["INSPECTOR_PATHS", "PAGE_PATH", "inspector_routes"]

PAGE_PATH = "/_mock/"

#: Served path → (file in ``inspector/``, media type).
_FILES: dict[str, tuple[str, str]] = {
    PAGE_PATH: ("index.html", "text/html; charset=utf-8"),
    "/_mock/inspector.js": ("inspector.js", "text/javascript; charset=utf-8"),
    "/_mock/inspector.css": ("inspector.css", "text/css; charset=utf-8"),
    "/_mock/webhooks.js": ("webhooks.js", "text/javascript; charset=utf-8"),
}

#: The inspector's own paths: static files that reveal nothing, open even with a token.
INSPECTOR_PATHS = frozenset(_FILES)

# Lead data is whatever a client sent, so the page must never run what it shows: scripts only
# from these files (no inline script, no eval), fetches only to this server, no framing.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Revalidate every time: after an upgrade the page and its script must match.
    "Cache-Control": "no-cache",
}


#: Where ``index.html`` names the profile fields, for the page to tell a lead's profile from the
#: keys it shows in sections of their own.
_PROFILE_FIELDS_SLOT = b"{profile_fields}"


def _served(name: str) -> bytes:
    """A file of ``inspector/`` as served: ``index.html`` gets the profile fields filled in."""
    body = (files("kartra_mock.server") / "inspector" / name).read_bytes()
    if name == "index.html":
        body = body.replace(_PROFILE_FIELDS_SLOT, " ".join(PROFILE_FIELDS).encode())
    return body


def _endpoint(body: bytes, media_type: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        return Response(body, media_type=media_type, headers=_HEADERS)

    return serve


def inspector_routes() -> list[Route]:
    """``GET /_mock/`` and its script and stylesheet, read from the package once per app."""
    return [
        Route(path, _endpoint(_served(name), media_type), methods=["GET"])
        for path, (name, media_type) in _FILES.items()
    ]
