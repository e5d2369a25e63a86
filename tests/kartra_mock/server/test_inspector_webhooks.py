"""The inspector's Webhooks tab without a browser: the clears header and the outcome line.

(The tab itself runs in Chromium in ``tests/browser``.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.outbound.delivery import Sender
from kartra_mock.outbound.payloads import Outgoing
from kartra_mock.server.openapi import openapi_document
from kartra_mock.server.outbound import DELIVERY_CLEARS_HEADER

SCRIPT = Path(__file__).parents[3] / "kartra_mock" / "server" / "inspector" / "webhooks.js"


class Scripted:
    """A receiver that answers each call with the next status, or raises for ``None``."""

    def __init__(self, *answers: int | None) -> None:
        self._answers = list(answers)

    def post(self, url: str, body: bytes, content_type: str) -> int:
        answer = self._answers.pop(0)
        if answer is None:
            raise ConnectionRefusedError("[Errno 111] Connection refused")
        return answer

    def close(self) -> None:
        pass


def hook(event: str = "assign_tag") -> Outgoing:
    payload: dict[str, object] = {"lead": {"email": "ada@example.com"}, "action": event}
    return Outgoing("http://shop.test/kartra", "webhook", event, "demo-key", payload)


def test_the_clears_header_counts_emptying_the_delivery_journal() -> None:
    sender = Sender(Scripted(200, 200))
    backend = Backend(overrides=Overrides(rate_limit=0), sender=sender)
    with TestClient(create_app(backend=backend)) as http:

        def page(since: int = 0) -> tuple[str, list[int]]:
            response = http.get("/_mock/deliveries", params={"since": since})
            seqs = [d["seq"] for d in response.json()["deliveries"]]
            return response.headers[DELIVERY_CLEARS_HEADER], seqs

        sender.submit([hook()])
        assert sender.wait_idle()
        assert page() == ("0", [1])
        http.delete("/_mock/deliveries")
        assert page() == ("1", [])
        sender.submit([hook()])
        assert sender.wait_idle()
        assert page() == ("1", [2])  # a new attempt forgets nothing; seqs keep counting
        assert page(since=2) == ("1", [])
        http.post("/_mock/reset")
        assert page() == ("2", [])
        http.post("/_mock/reset", params={"api_key": "demo-key"})  # deliveries are not per account
        assert page()[0] == "2"
    sender.close()


def test_the_openapi_document_names_the_header() -> None:
    operation = openapi_document()["paths"]["/_mock/deliveries"]["get"]
    assert DELIVERY_CLEARS_HEADER in operation["responses"]["200"]["headers"]


def _outcomes(records: list[dict[str, object]]) -> list[dict[str, object]]:
    """The script's ``deliveryOutcome()`` of each record, computed by node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the tab's logic runs in tests/browser too)")
    script = SCRIPT.read_text(encoding="utf-8")
    start = script.index("  // ---- delivery outcome (pure")
    end = script.index("  // ---- end delivery outcome")
    program = (
        script[start:end]
        + "\nconst records = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        + "process.stdout.write(JSON.stringify(records.map(deliveryOutcome)));\n"
    )
    done = subprocess.run(
        [node, "-e", program], input=json.dumps(records), capture_output=True, text=True, check=True
    )
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


@pytest.mark.node
def test_each_attempt_says_what_the_receiver_answered() -> None:
    sender = Sender(Scripted(204, 500, None, 200, 200))
    sender.submit([hook("assign_tag"), hook("unassign_tag"), hook("list_subscription")])
    assert sender.wait_idle()
    sender.add_fault("duplicate")
    sender.submit([hook("buy_product")])
    assert sender.wait_idle()
    records = [r.to_json() for r in sender.records()]
    sender.close()
    assert [(o["ok"], o["text"]) for o in _outcomes(records)] == [
        (True, "HTTP 204"),
        (False, "HTTP 500"),
        (False, "ConnectionRefusedError: [Errno 111] Connection refused"),
        (True, "HTTP 200 · duplicate"),
        (True, "HTTP 200 · duplicate"),
    ]


@pytest.mark.node
def test_a_dropped_or_unanswered_delivery_shows_why() -> None:
    dropped: dict[str, object] = {
        "status_code": None,
        "error": "dropped: the delivery queue is full",
        "fault": "",
    }
    silent: dict[str, object] = {"status_code": None, "error": "", "fault": "reorder"}
    assert _outcomes([dropped, silent]) == [
        {"ok": False, "text": "dropped: the delivery queue is full"},
        {"ok": False, "text": "no answer · reorder"},
    ]
