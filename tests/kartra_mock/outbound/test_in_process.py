"""In-process delivery: the mock calls the user's own ASGI or WSGI app, with no socket."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kartra_mock.testing import KartraMock
from tests.kartra_mock.server.worlds import world

OUTBOUND = {
    "webhooks": [{"url": "http://shop.test/kartra/webhook"}],
    "ipn": [{"url": "http://shop.test/kartra/ipn", "secret_key": "k3y", "product_id": 12}],
}


def starlette_app(hooks: list[dict[str, Any]], ipns: list[dict[str, str]]) -> Starlette:
    """What a user would write: a webhook route (JSON body) and an IPN route (a form)."""

    async def webhook(request: Request) -> Response:
        hooks.append(json.loads(await request.body()))
        return PlainTextResponse("ok")

    async def ipn(request: Request) -> Response:
        ipns.append(dict(parse_qsl((await request.body()).decode(), keep_blank_values=True)))
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/kartra/webhook", webhook, methods=["POST"]),
            Route("/kartra/ipn", ipn, methods=["POST"]),
        ]
    )


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(received: list[tuple[str, str, bytes]]) -> WsgiApp:
    """A bare WSGI receiver recording (path, content type, body)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        received.append((environ["PATH_INFO"], environ.get("CONTENT_TYPE", ""), body))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


def test_webhooks_and_ipn_go_straight_into_a_starlette_app() -> None:
    hooks: list[dict[str, Any]] = []
    ipns: list[dict[str, str]] = []
    mock = KartraMock.in_process(world(), deliver_to=starlette_app(hooks, ipns), rate_limit=0)
    try:
        mock.set_outbound(OUTBOUND)
        with mock.client() as kartra:
            kartra.assign_tag("VIP", email="bob@example.com")
        mock.trigger("buy_product", "bob@example.com", product_id=12)
        journal = mock.wait_for_deliveries(3)
    finally:
        mock.close()
    assert [(d["url"], d["status_code"]) for d in journal] == [
        ("http://shop.test/kartra/webhook", 200),
        ("http://shop.test/kartra/webhook", 200),
        ("http://shop.test/kartra/ipn", 200),
    ]
    assert [h["action"] for h in hooks] == ["assign_tag", "buy_product"]
    assert hooks[0]["action_details"]["tag"]["tag_name"] == "VIP"
    assert hooks[0]["lead"]["email"] == "bob@example.com"
    (ipn,) = ipns
    assert (ipn["transaction_type"], ipn["secret_key"]) == ("sale", "k3y")
    assert ipn["lead_email"] == "bob@example.com"


def test_webhooks_and_ipn_go_straight_into_a_wsgi_app() -> None:
    received: list[tuple[str, str, bytes]] = []
    mock = KartraMock.in_process(world(), deliver_to=wsgi_app(received), wsgi=True)
    try:
        mock.set_outbound(OUTBOUND)
        mock.trigger("buy_product", "bob@example.com", product_id=12)
        journal = mock.wait_for_deliveries(2)
    finally:
        mock.close()
    assert [d["status_code"] for d in journal] == [200, 200]
    (hook_path, hook_type, hook_body), (ipn_path, ipn_type, ipn_body) = received
    assert (hook_path, hook_type) == ("/kartra/webhook", "application/json")
    assert json.loads(hook_body)["action"] == "buy_product"
    assert (ipn_path, ipn_type) == ("/kartra/ipn", "application/x-www-form-urlencoded")
    assert dict(parse_qsl(ipn_body.decode()))["product_name"] == "Membership"


def test_an_app_that_answers_an_error_is_journaled_not_raised() -> None:
    hooks: list[dict[str, Any]] = []
    mock = KartraMock.in_process(world(), deliver_to=starlette_app(hooks, []))
    try:
        mock.set_outbound({"webhooks": [{"url": "http://shop.test/elsewhere"}]})
        mock.trigger("filled_form", "bob@example.com")
        (delivery,) = mock.wait_for_deliveries(1)
        assert mock.state()["accounts"][0]["api_key"] == "demo-key"  # the mock still answers
    finally:
        mock.close()
    assert (delivery["status_code"], delivery["error"]) == (404, "")
    assert hooks == []


def test_an_app_that_raises_is_journaled_not_raised() -> None:
    async def broken(scope: dict[str, Any], receive: Any, send: Any) -> None:
        raise RuntimeError("the handler is broken")

    mock = KartraMock.in_process(world(), deliver_to=broken)
    try:
        mock.set_outbound({"webhooks": [{"url": "http://shop.test/kartra/webhook"}]})
        mock.trigger("filled_form", "bob@example.com")
        (delivery,) = mock.wait_for_deliveries(1)
    finally:
        mock.close()
    assert delivery["status_code"] is None
    assert delivery["error"] == "RuntimeError: the handler is broken"


def test_the_documents_retries_apply_to_in_process_delivery() -> None:
    document = world()
    document["outbound"] = {
        "webhooks": [{"url": "http://shop.test/nowhere"}],
        "delivery": {"retries": 1, "retry_delay_ms": 0},
    }
    mock = KartraMock.in_process(document, deliver_to=starlette_app([], []))
    try:
        mock.trigger("filled_form", "bob@example.com")
        journal = mock.wait_for_deliveries(2)
    finally:
        mock.close()
    assert [(d["attempt"], d["status_code"]) for d in journal] == [(1, 404), (2, 404)]
