"""The inspector's Webhooks tab in headless Chromium: the delivery journal, live.

The served mock delivers in-process into a small starlette app (``/kartra`` and
``/kartra/ipn`` answer 200, ``/broken`` 500), so every attempt — good or failed — shows up
in the tab without a reload.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.outbound.config import load_outbound
from kartra_mock.outbound.delivery import Sender, app_poster
from kartra_mock.server.threaded import ThreadedServer
from tests.browser.cdp import Page
from tests.browser.test_inspector_in_chromium import create_lead, open_inspector, send
from tests.kartra_mock.server.worlds import world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.socket]

SHOP = "http://shop.test"


async def _ok(request: Request) -> Response:
    await request.body()
    return PlainTextResponse("ok")


async def _broken(request: Request) -> Response:
    return PlainTextResponse("boom", status_code=500)


RECEIVER = Starlette(
    routes=[
        Route("/kartra", _ok, methods=["POST"]),
        Route("/kartra/ipn", _ok, methods=["POST"]),
        Route("/broken", _broken, methods=["POST"]),
    ]
)


@pytest.fixture
def backend() -> Iterator[Backend]:
    """The seeded world (it has a shop), delivering into :data:`RECEIVER`."""
    sender = Sender(app_poster(RECEIVER))
    mock = Backend(world(), overrides=Overrides(rate_limit=0), sender=sender)
    yield mock
    sender.close()


def configure(backend: Backend, webhook_url: str, **ipn: str) -> None:
    outbound: dict[str, object] = {"webhooks": [{"url": webhook_url}]}
    if ipn:
        outbound["ipn"] = [{"url": ipn["url"], "secret_key": "s3cret"}]
    backend.set_outbound(load_outbound(outbound))


def show_webhooks(page: Page) -> None:
    page.click("#tab-webhooks")
    assert page.evaluate("document.getElementById('webhooks-panel').hidden") is False
    assert page.evaluate("document.getElementById('calls-panel').hidden") is True


def deliveries(page: Page) -> list[dict[str, str]]:
    """The attempts the tab lists, newest first, as the summary line shows them."""
    value = page.evaluate(
        "[...document.querySelectorAll('#webhooks > details')].filter(d => !d.hidden)"
        ".map(d => ({seq: d.dataset.seq, kind: d.querySelector('.kind').innerText,"
        " event: d.querySelector('.event').innerText, url: d.querySelector('.url').innerText,"
        " outcome: d.querySelector('.outcome').innerText, classes: d.className}))"
    )
    assert isinstance(value, list)
    return value


def count(page: Page, n: int) -> None:
    page.wait_for(f"document.querySelectorAll('#webhooks > details').length === {n}", f"{n}")


def test_deliveries_appear_live_with_status_and_payload(
    page: Page, server: ThreadedServer, backend: Backend
) -> None:
    configure(backend, SHOP + "/kartra")
    open_inspector(page, server.url + "/_mock/")
    show_webhooks(page)
    page.wait_for("!document.getElementById('webhooks-empty').hidden", "the empty message")

    send(
        server,
        {
            "lead": {"email": "ada@example.com"},
            "actions": [{"cmd": "assign_tag", "tag_name": "VIP"}],
        },
    )
    count(page, 1)
    [delivery] = deliveries(page)
    assert delivery == {
        "seq": "1",
        "kind": "webhook",
        "event": "assign_tag",
        "url": SHOP + "/kartra",
        "outcome": "HTTP 200",
        "classes": "call delivery",
    }
    assert page.text("#webhooks-count") == "1"
    assert page.evaluate("document.getElementById('webhooks-failed').hidden") is True

    page.click('#webhooks details[data-seq="1"] summary')
    facts = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll("
        "'#webhooks details[data-seq=\"1\"] table.params tr')]"
        ".map(r => [r.cells[0].innerText, r.cells[1].innerText]))"
    )
    assert facts["url"] == SHOP + "/kartra"
    assert facts["status"] == "HTTP 200"
    assert facts["attempt"] == "1"
    assert facts["lead"] == "ada@example.com"
    assert facts["latency"].endswith(" ms")
    payload = json.loads(page.text('#webhooks details[data-seq="1"] pre.payload'))
    assert payload["action"] == "assign_tag"
    assert payload["action_details"]["tag"]["tag_name"] == "VIP"
    assert payload["lead"]["email"] == "ada@example.com"
    assert page.errors == []


def test_failed_attempts_retries_and_ipn_are_told_apart(
    page: Page, server: ThreadedServer, backend: Backend
) -> None:
    outbound = {
        "webhooks": [{"url": SHOP + "/broken", "events": ["buy_product"]}],
        "ipn": [{"url": SHOP + "/kartra", "secret_key": "s3cret"}],
        "delivery": {"retries": 1, "retry_delay_ms": 0},
    }
    backend.set_outbound(load_outbound(outbound))
    open_inspector(page, server.url + "/_mock/")
    show_webhooks(page)
    answer = httpx.post(
        server.url + "/_mock/trigger", json={"action": "buy_product", "lead": "ada@example.com"}
    )
    assert answer.status_code == 200, answer.text
    count(page, 3)

    ipn, retry, first = deliveries(page)
    assert (first["event"], first["outcome"], "failed" in first["classes"]) == (
        "buy_product",
        "HTTP 500",
        True,
    )
    assert retry["outcome"] == "HTTP 500"
    assert page.text('#webhooks details[data-seq="2"] .attempt') == "attempt 2"
    assert (ipn["kind"], ipn["event"], ipn["outcome"]) == ("IPN", "sale", "HTTP 200")
    assert page.text("#webhooks-failed") == "2 failed"

    page.click('#webhooks details[data-seq="3"] summary')
    form = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll("
        "'#webhooks details[data-seq=\"3\"] table.params')[1].rows]"
        ".map(r => [r.cells[0].innerText, r.cells[1].innerText]))"
    )
    assert form["transaction_type"] == "sale"
    assert form["secret_key"] == "s3cret"

    page.evaluate("document.getElementById('webhook-problems').click()")
    assert [d["seq"] for d in deliveries(page)] == ["2", "1"]
    assert page.text("#webhooks-count") == "2 of 3"
    assert page.errors == []


def test_clear_button_and_a_reset_elsewhere_empty_the_tab(
    page: Page, server: ThreadedServer, backend: Backend
) -> None:
    configure(backend, SHOP + "/kartra")
    send(
        server,
        {
            "lead": {"email": "ada@example.com"},
            "actions": [{"cmd": "assign_tag", "tag_name": "VIP"}],
        },
    )
    open_inspector(page, server.url + "/_mock/")
    show_webhooks(page)
    count(page, 1)

    page.click("#clear-deliveries")
    count(page, 0)
    assert page.dialogs == ["Forget every recorded webhook and IPN delivery?"]
    assert backend.sender.records() == []

    send(
        server,
        {
            "lead": {"email": "ada@example.com"},
            "actions": [{"cmd": "unassign_tag", "tag_name": "VIP"}],
        },
    )
    count(page, 1)
    httpx.post(server.url + "/_mock/reset")  # as a test suite's fixture does between tests
    count(page, 0)
    assert page.errors == []


def test_the_tab_is_remembered_across_a_reload(page: Page, server: ThreadedServer) -> None:
    open_inspector(page, server.url + "/_mock/")
    show_webhooks(page)
    open_inspector(page, server.url + "/_mock/")
    assert page.evaluate("document.getElementById('webhooks-panel').hidden") is False
    page.click("#tab-calls")
    assert page.evaluate("document.getElementById('calls-panel').hidden") is False
    assert page.evaluate("document.getElementById('tab-calls').getAttribute('aria-selected')") == (
        "true"
    )


def test_urls_payloads_and_errors_are_shown_as_text_never_run(
    page: Page, server: ThreadedServer, backend: Backend
) -> None:
    attack = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    url = SHOP + "/kartra?next=" + attack
    configure(backend, url)
    create_lead(server, "mallory@example.com", first_name=attack)
    answer = httpx.post(
        server.url + "/_mock/trigger",
        json={
            "action": "filled_form",
            "lead": "mallory@example.com",
            "details": {"form": {"form_name": attack}},
        },
    )
    assert answer.status_code == 200, answer.text
    open_inspector(page, server.url + "/_mock/")
    show_webhooks(page)
    count(page, 1)
    page.click("#webhooks details summary")
    page.evaluate("document.getElementById('webhook-filter').value = 'onerror'")

    assert page.evaluate("window.pwned === undefined")
    assert page.evaluate("document.querySelectorAll('img, main script').length") == 0
    assert attack in page.text("#webhooks .url")
    payload: dict[str, Any] = json.loads(page.text("#webhooks pre.payload"))
    assert payload["lead"]["first_name"] == attack
    assert payload["action_details"]["form"]["form_name"] == attack
    assert page.errors == []


def test_a_webhooks_screenshot(
    page: Page, server: ThreadedServer, backend: Backend, artifacts: Path
) -> None:
    """The picture in docs/webhooks.md: a tagging, a sale with its IPN, a failing receiver."""
    outbound = {
        "webhooks": [
            {"url": SHOP + "/kartra"},
            {"url": SHOP + "/broken", "events": ["list_subscription"]},
        ],
        "ipn": [{"url": SHOP + "/kartra/ipn", "secret_key": "s3cret"}],
    }
    backend.set_outbound(load_outbound(outbound))
    send(
        server,
        {
            "lead": {"email": "ada@example.com"},
            "actions": [
                {"cmd": "assign_tag", "tag_name": "VIP"},
                {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
            ],
        },
    )
    httpx.post(
        server.url + "/_mock/trigger", json={"action": "buy_product", "lead": "ada@example.com"}
    )
    open_inspector(page, server.url + "/_mock/")
    show_webhooks(page)
    count(page, 5)
    page.click('#webhooks details[data-seq="3"] summary')
    target = artifacts / "inspector-webhooks.png"
    page.screenshot(target)
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert page.errors == []
