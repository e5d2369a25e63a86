"""Fault injection end to end over HTTP: every kind on a real socket, the journal, the routes."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.engine.faults import MAX_FAULTS, FaultPlan, parse_schedule
from kartra_mock.server.faults import ConnectionDropped, error_page
from kartra_mock.server.threaded import ThreadedServer
from tests.helpers import DEMO, TLS, Api, build_query

pytestmark = pytest.mark.socket

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CREATE = [{"cmd": "create_lead"}]


class Remote:
    """A mock on a real socket, with the calls these tests make."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=10, verify=TLS)

    def post(self, params: dict[str, Any], **credentials: str) -> httpx.Response:
        body = build_query({**DEMO, **credentials, **params})
        return self.http.post("/api", content=body, headers=FORM)

    def create(self, email: str, **credentials: str) -> httpx.Response:
        return self.post({"lead": {"email": email}, "actions": CREATE}, **credentials)

    def fault(self, **document: Any) -> dict[str, Any]:
        response = self.http.post("/_mock/faults", json=document)
        assert response.status_code == 200, response.text
        fault: dict[str, Any] = response.json()["fault"]
        return fault

    def journal(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.http.get("/_mock/requests").json()["requests"]
        return entries

    def leads(self, api_key: str = "demo-key") -> list[str]:
        accounts = self.http.get("/_mock/state").json()["accounts"]
        return [
            lead["email"]
            for account in accounts
            if account["api_key"] == api_key
            for lead in account["leads"]
        ]


class Mounted:
    """Hands every call to the mock mounted now: one server, a fresh mock for each test."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.app is None:
            raise RuntimeError("no mock is mounted")
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[ThreadedServer, Mounted]]:
    """One real server for the module: uvicorn takes a good 0.1 s to stop."""
    mounted = Mounted()
    with ThreadedServer(mounted) as server:
        yield server, mounted


@pytest.fixture
def remote(server: tuple[ThreadedServer, Mounted]) -> Iterator[Remote]:
    """A fresh mock (its own backend and app) on the module's server, and a client of it."""
    threaded, mounted = server
    mounted.app = create_app(backend=Backend(overrides=Overrides(rate_limit=0)))
    client = Remote(threaded.url)
    yield client
    client.http.close()
    mounted.app = None


def test_a_kartra_error_fault_answers_its_flat_envelope_and_changes_nothing(
    remote: Remote,
) -> None:
    scheduled = remote.fault(kind="kartra_error", type="245", api_key="demo-key")
    response = remote.create("a@example.com")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=UTF-8"
    assert response.json() == {"status": "Error", "message": "Lead is deleted", "type": "245"}
    assert remote.leads() == []
    # Only the next call: the one after it runs as usual.
    assert remote.create("a@example.com").json()["status"] == "Success"
    assert remote.leads() == ["a@example.com"]
    faulted, normal = remote.journal()
    assert faulted["fault"] == {
        "id": scheduled["id"],
        "kind": "kartra_error",
        "type": "245",
        "latency_ms": 0.0,
    }
    assert faulted["response"]["type"] == "245"
    assert normal["fault"] is None


def test_a_kartra_error_of_a_type_the_catalogue_lacks(remote: Remote) -> None:
    remote.fault(kind="kartra_error", type=299, message="Something new")
    assert remote.create("a@example.com").json() == {
        "status": "Error",
        "message": "Something new",
        "type": "299",
    }


@pytest.mark.parametrize(
    "document", [{"kind": "rate_limit"}, {"kind": "kartra_error", "type": "429"}]
)
def test_a_rate_limit_fault_answers_kartras_429(remote: Remote, document: dict[str, Any]) -> None:
    remote.fault(**document)
    response = remote.create("a@example.com")
    assert response.status_code == 429
    assert response.json() == {"status": "Error", "message": "Too many requests", "type": "429"}
    assert "retry-after" not in response.headers
    assert remote.leads() == []
    assert remote.journal()[0]["status_code"] == 429


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_fault_answers_an_html_page(remote: Remote, status: int) -> None:
    remote.fault(kind="server_error", status=status)
    response = remote.create("a@example.com")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == error_page(status)
    assert f"<title>{status} " in response.text
    assert remote.leads() == []
    entry = remote.journal()[0]
    assert (entry["status_code"], entry["fault"]["status"]) == (status, status)


def test_a_drop_fault_breaks_the_connection_and_the_server_stays_healthy(
    remote: Remote, caplog: pytest.LogCaptureFixture
) -> None:
    remote.fault(kind="drop", api_key="demo-key")
    with caplog.at_level(logging.INFO), pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        remote.create("a@example.com")
    assert remote.http.get("/_mock/health").json()["status"] == "ok"
    assert remote.leads() == []
    entry = remote.journal()[0]
    assert (entry["status_code"], entry["fault"]["kind"]) == (0, "drop")
    # The dropped call is over; the next one is served on a new connection.
    assert remote.create("a@example.com").json()["status"] == "Success"
    # uvicorn's complaint about the unfinished answer is ours, so it is not logged as an error.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_in_process_a_drop_raises_the_neutral_error_the_transports_map(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    # starlette's TestClient maps nothing; the mock's own transports do (test_inprocess_faults).
    api.http = TestClient(create_app(backend=api.backend))
    api.http.post("/_mock/faults", json={"kind": "drop"})
    with pytest.raises(ConnectionDropped, match="injected fault #1"):
        api.post({"lead": {"email": "a@example.com"}, "actions": CREATE})
    assert api.state()["accounts"][0]["leads"] == []
    assert api.call({"actions": [{"cmd": "retrieve_account_tags"}]})["status"] == "Success"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_latency_holds_the_answer_back_after_the_call_ran(remote: Remote) -> None:
    remote.fault(kind="latency", latency_ms=400)
    impatient = httpx.Timeout(10, read=0.05)
    with pytest.raises(httpx.ReadTimeout):
        remote.http.post(
            "/api",
            content=build_query({**DEMO, "lead": {"email": "a@example.com"}, "actions": CREATE}),
            headers=FORM,
            timeout=impatient,
        )
    # The call ran although the client gave up: a retry would now meet 244.
    deadline = time.monotonic() + 10
    while not remote.journal() and time.monotonic() < deadline:
        time.sleep(0.01)
    entry = remote.journal()[0]
    assert entry["fault"]["kind"] == "latency"
    assert entry["response"]["status"] == "Success"
    assert remote.leads() == ["a@example.com"]
    assert remote.create("a@example.com").json()["type"] == "244"


def test_a_small_latency_still_answers_normally(remote: Remote) -> None:
    remote.fault(kind="latency", latency_ms=50)
    assert remote.create("a@example.com").json()["status"] == "Success"
    assert remote.journal()[0]["fault"]["latency_ms"] == 50.0


def test_latency_can_come_before_any_other_fault(remote: Remote) -> None:
    remote.fault(kind="server_error", status=502, latency_ms=30)
    response = remote.create("a@example.com")
    assert response.status_code == 502
    assert remote.journal()[0]["fault"] == {
        "id": 1,
        "kind": "server_error",
        "status": 502,
        "latency_ms": 30.0,
    }


def test_faults_are_scoped_to_an_account_or_an_app(remote: Remote) -> None:
    remote.fault(kind="rate_limit", api_key="victim", times=2)
    remote.fault(kind="server_error", app_id="flaky-app")
    assert remote.create("a@example.com").status_code == 200
    assert remote.create("b@example.com", api_key="victim").status_code == 429
    assert remote.create("c@example.com", app_id="flaky-app").status_code == 500
    assert remote.create("d@example.com", api_key="victim").status_code == 429
    assert remote.create("e@example.com", api_key="victim").status_code == 200
    assert remote.http.get("/_mock/faults").json() == {"faults": []}


def test_a_seeded_probability_faults_the_same_calls_every_run(remote: Remote) -> None:
    def run() -> list[int]:
        remote.http.post("/_mock/reset")
        remote.fault(kind="kartra_error", type="243", probability=0.3, seed=11, api_key="p")
        codes = []
        for i in range(20):
            answer = remote.create(f"{i}@example.com", api_key="p").json()
            codes.append(i if answer["status"] == "Error" else -1)
        return [i for i in codes if i >= 0]

    first = run()
    assert first == run()
    # The server draws exactly what the pure plan predicts for these 20 calls.
    plan = FaultPlan()
    plan.add(parse_schedule({"kind": "drop", "probability": 0.3, "seed": 11}))
    predicted = [i for i in range(20) if plan.take("p", "demo-app") is not None]
    assert first == predicted
    assert 0 < len(first) < 20


def test_list_remove_and_clear_faults(remote: Remote) -> None:
    first = remote.fault(kind="drop", api_key="a", times=3)
    second = remote.fault(kind="drop", api_key="b")
    third = remote.fault(kind="rate_limit")
    listed = remote.http.get("/_mock/faults").json()["faults"]
    assert [(f["id"], f["kind"], f["remaining"]) for f in listed] == [
        (first["id"], "drop", 3),
        (second["id"], "drop", 1),
        (third["id"], "rate_limit", 1),
    ]
    assert remote.http.delete(f"/_mock/faults/{second['id']}").status_code == 200
    assert remote.http.delete(f"/_mock/faults/{second['id']}").status_code == 404
    assert remote.http.delete("/_mock/faults/x").status_code == 404
    assert remote.http.delete("/_mock/faults", params={"api_key": "a"}).json()["removed"] == 1
    assert [f["id"] for f in remote.http.get("/_mock/faults").json()["faults"]] == [third["id"]]
    assert remote.http.delete("/_mock/faults").json() == {"status": "ok", "removed": 1}
    assert remote.http.get("/_mock/faults").json() == {"faults": []}


def test_reset_clears_the_faults_too(remote: Remote) -> None:
    remote.fault(kind="drop", api_key="a")
    remote.fault(kind="drop", api_key="b")
    remote.http.post("/_mock/reset", params={"api_key": "a"})
    assert [f["api_key"] for f in remote.http.get("/_mock/faults").json()["faults"]] == ["b"]
    remote.http.post("/_mock/reset")
    assert remote.http.get("/_mock/faults").json() == {"faults": []}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{nope", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (b'{"kind": "meteor"}', "kind: must be one of"),
        (b'{"kind": "server_error", "status": 418}', "status: must be one of"),
    ],
)
def test_an_invalid_fault_is_422_and_schedules_nothing(
    remote: Remote, body: bytes, reason: str
) -> None:
    response = remote.http.post("/_mock/faults", content=body)
    assert response.status_code == 422
    assert reason in response.json()["error"]
    assert remote.http.get("/_mock/faults").json() == {"faults": []}


def test_faulted_calls_do_not_count_against_the_rate_limit() -> None:
    backend = Backend(overrides=Overrides(rate_limit=1), clock=lambda: 1000.0)
    with ThreadedServer(create_app(backend=backend)) as server:
        remote = Remote(server.url)
        remote.fault(kind="server_error", times=3)
        assert [remote.create(f"{i}@e.com").status_code for i in range(3)] == [500] * 3
        # The clock stands still: the first served call is within the limit, the next is not.
        assert remote.create("served@e.com").status_code == 200
        assert remote.create("limited@e.com").status_code == 429
        remote.http.close()


@pytest.mark.slow
def test_scheduling_more_faults_than_the_bound_is_422(api: Api) -> None:
    for _ in range(MAX_FAULTS):
        assert api.http.post("/_mock/faults", json={"kind": "drop"}).status_code == 200
    refused = api.http.post("/_mock/faults", json={"kind": "drop"})
    assert refused.status_code == 422
    assert "already scheduled" in refused.json()["error"]
