"""The control plane's JSON in and out: error answers and JSON-object request bodies.

Every ``/_mock`` route answers a bad request the same way, ``{"error": "<reason>"}`` with its
HTTP status (docs/control-plane.md).
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = ["error", "json_object", "parse_json_object"]


def error(status: int, message: str) -> JSONResponse:
    """The control plane's error answer: ``{"error": message}`` with this HTTP status."""
    return JSONResponse({"error": message}, status_code=status)


def parse_json_object(
    raw: bytes, what: str = "the body", example: str = ""
) -> dict[str, object] | JSONResponse:
    """``raw`` as a JSON object, or the 422 answer that says why it is not one.

    ``what`` names the body in the message (``"the fault"``); ``example`` follows the
    "must be a JSON object" message (``', e.g. {"kind": "drop"}'``).
    """
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return error(422, f"{what} is not valid JSON: {exc}")
    if not isinstance(value, dict):
        return error(422, f"{what} must be a JSON object{example}")
    return value


async def json_object(
    request: Request, what: str = "the body", example: str = ""
) -> dict[str, object] | JSONResponse:
    """The request body as a JSON object, or the 422 answer that says why it is not one."""
    return parse_json_object(await request.body(), what, example)
