"""The optional admin token that guards the control plane on a shared server (``--admin-token``).

With a token set, every ``/_mock/...`` route except ``/_mock/health`` (for health checks) and
``/_mock/openapi.json`` (a public description) needs it, as ``Authorization: Bearer <token>``
or ``X-Admin-Token: <token>``; anything else gets HTTP 401 with a JSON error saying how to send
it. ``/api`` never needs it: Kartra's own credentials are all a Kartra client sends.

Example::

    app = create_app(admin_token="s3cret")
    httpx.post(url + "/_mock/reset", headers={"Authorization": "Bearer s3cret"})
"""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kartra_mock.server.inspector import INSPECTOR_PATHS

__all__ = ["OPEN_CONTROL_PATHS", "AdminTokenMiddleware"]

#: Control-plane routes that stay open with a token: they reveal and change nothing. The
#: inspector's page and files hold no data (its fetches send the token), and ``/_mock`` only
#: redirects to the page.
OPEN_CONTROL_PATHS = frozenset({"/_mock/health", "/_mock/openapi.json", "/_mock"} | INSPECTOR_PATHS)

_HOW = (
    "this control plane needs the admin token given to kartra-mock (--admin-token): "
    "send it as 'Authorization: Bearer <token>' or as 'X-Admin-Token: <token>'"
)


def _presented(headers: Headers) -> bytes | None:
    authorization = headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip().encode()
    token = headers.get("x-admin-token")
    return None if token is None else token.encode()


class AdminTokenMiddleware:
    """Answers 401 to a control-plane request that does not carry the admin token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token:
            raise ValueError("the admin token must not be empty")
        self.app = app
        self._token = token.encode()

    def _guarded(self, path: str) -> bool:
        return (path == "/_mock" or path.startswith("/_mock/")) and path not in OPEN_CONTROL_PATHS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 401 if it is a guarded one without the token."""
        if scope["type"] == "http" and self._guarded(scope["path"]):
            presented = _presented(Headers(scope=scope))
            # compare_digest: the time taken does not tell how much of a guess was right.
            if presented is None or not hmac.compare_digest(presented, self._token):
                error = "missing admin token" if presented is None else "wrong admin token"
                response = JSONResponse(
                    {"error": f"{error}: {_HOW}", "path": scope["path"]},
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer realm="kartra-mock control plane"'},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
