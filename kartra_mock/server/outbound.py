"""Control-plane routes of outbound calls: configuration, triggers, delivery journal, faults."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartra_mock.engine.backend import Backend, StateError, TriggerError
from kartra_mock.outbound.config import load_outbound
from kartra_mock.server.bodies import error, json_object

__all__ = ["DELIVERY_CLEARS_HEADER", "outbound_routes"]

#: Counts the times the delivery journal was emptied (``DELETE``, reset): when it changes, a
#: watcher such as the inspector knows the attempts it shows were forgotten.
DELIVERY_CLEARS_HEADER = "X-Deliveries-Clears"


def _optional_int(body: dict[str, object], key: str) -> int | str | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"{key} must be a positive integer"
    return value


def outbound_routes(backend: Backend) -> list[Route]:
    """The outbound routes bound to one backend."""

    async def config(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(backend.outbound.to_json())
        body = await json_object(request)
        if isinstance(body, JSONResponse):
            return body
        try:
            backend.set_outbound(load_outbound(body))
        except StateError as exc:
            return error(422, f"invalid outbound configuration: {exc}")
        return JSONResponse(backend.outbound.to_json())

    async def fire(request: Request) -> Response:
        body = await json_object(request)
        if isinstance(body, JSONResponse):
            return body
        api_key, action, lead = (body.get(k) for k in ("api_key", "action", "lead"))
        api_key = "demo-key" if api_key is None else api_key
        details = body.get("details", {})
        if not isinstance(api_key, str) or not isinstance(action, str):
            return error(422, "api_key and action must be strings")
        if not isinstance(lead, str | int) or isinstance(lead, bool):
            return error(422, "lead must be the lead's email or id")
        if not isinstance(details, dict):
            return error(422, "details must be an object (the action_details to send)")
        product_id = _optional_int(body, "product_id")
        price_point = _optional_int(body, "price_point")
        for value in (product_id, price_point):
            if isinstance(value, str):
                return error(422, value)
        try:
            calls = backend.trigger(
                api_key,
                action,
                str(lead),
                details,
                product_id=product_id if isinstance(product_id, int) else None,
                price_point=price_point if isinstance(price_point, int) else None,
            )
        except TriggerError as exc:
            return error(422, str(exc))
        return JSONResponse(
            {"status": "ok", "queued": [{"url": c.url, "event": c.event} for c in calls]}
        )

    async def deliveries(request: Request) -> Response:
        if request.method == "DELETE":
            backend.sender.clear()
            return JSONResponse({"status": "ok"})
        raw_since = request.query_params.get("since", "0")
        if not raw_since.isascii() or not raw_since.isdigit() or len(raw_since) > 18:
            return error(422, f"since must be a delivery seq (an integer >= 0), not {raw_since!r}")
        clears, records = backend.sender.page(int(raw_since))
        return JSONResponse(
            {"deliveries": [r.to_json() for r in records]},
            headers={DELIVERY_CLEARS_HEADER: str(clears)},
        )

    async def faults(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"faults": backend.sender.faults()})
        body = await json_object(request)
        if isinstance(body, JSONResponse):
            return body
        kind, count, delay = body.get("kind"), body.get("count", 1), body.get("delay_ms", 0)
        # JSON makes no difference between 3 and 3.0 (the bounds keep int() exact).
        if isinstance(count, float) and count.is_integer() and 1 <= count <= 10**18:
            count = int(count)
        if isinstance(delay, float) and delay.is_integer() and 0 <= delay <= 60_000:
            delay = int(delay)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            return error(422, "count must be an integer >= 1")
        if not isinstance(delay, int) or isinstance(delay, bool) or not 0 <= delay <= 60_000:
            return error(422, "delay_ms must be an integer from 0 to 60000")
        try:
            backend.sender.add_fault(str(kind), count, delay)
        except ValueError as exc:
            return error(422, str(exc))
        return JSONResponse({"faults": backend.sender.faults()})

    return [
        Route("/_mock/outbound", config, methods=["GET", "PUT"]),
        Route("/_mock/trigger", fire, methods=["POST"]),
        Route("/_mock/deliveries", deliveries, methods=["GET", "DELETE"]),
        Route("/_mock/deliveries/faults", faults, methods=["GET", "POST"]),
    ]
