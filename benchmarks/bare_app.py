"""The ceiling for this stack: a bare starlette app that parses the form body, answers fixed JSON.

It does what any ``/api`` must do at least — read the body, split it into PHP-style pairs —
and nothing the mock does on top (nested keys, state, journal), so the mock's calls per second
divided by this app's is the share of the stack's ceiling the mock reaches.

Run it as the HTTP benchmark does::

    taskset -c 0 python -m uvicorn benchmarks.bare_app:app --port 8766 --log-level warning
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

__all__ = ["ANSWER", "app", "parse_body"]

#: What create_lead answers, byte for byte as the mock writes it.
ANSWER = (
    b'{"status":"Success","actions":[{"create_lead":'
    b'{"status":"Success","lead_details":{"id":"1"}}}]}'
)


def parse_body(body: bytes) -> dict[str, str]:
    """The body's pairs, decoded as a form (keys kept flat, later duplicates win)."""
    return dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))


async def api(request: Request) -> Response:
    """Parse the form body and answer a fixed create_lead success."""
    params = parse_body(await request.body())
    if not params:
        return Response(b'{"status":"Error"}', media_type="text/html; charset=UTF-8")
    return Response(ANSWER, media_type="text/html; charset=UTF-8")


async def health(request: Request) -> Response:
    """``{"status":"ok"}``, as the mock's ``/_mock/health``."""
    return Response(b'{"status":"ok"}', media_type="application/json")


app = Starlette(
    routes=[
        Route("/api", api, methods=["POST"]),
        Route("/_mock/health", health, methods=["GET"]),
    ]
)
