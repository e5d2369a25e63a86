"""The backend's lock under real threads: calls race into :meth:`Backend.handle` at once.

The socket tests of ``tests/kartra_mock/server/test_concurrency.py`` go through one uvicorn
event loop, which runs one handler at a time: they would pass without the lock. Here many
threads (released together by a barrier, with a tiny switch interval so they interleave
inside a call) and several in-process transports (each with its own event-loop thread) hit
one backend for real.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import httpx
import pytest

from kartra_mock.engine.backend import ApiRequest, Backend, Overrides, Reply
from kartra_mock.protocol.forms import decode_body
from kartra_mock.server.app import create_app
from kartra_mock.testing.asgi import SyncASGITransport
from tests.helpers import DEMO, build_query

T = TypeVar("T")

FIELDS = [f"f{i}" for i in range(20)]
TAGS = [f"t{i}" for i in range(20)]
PROFILE = {
    "first_name": "Ada",
    "middle_name": "Augusta",
    "last_name": "King",
    "phone": "5550100",
    "city": "London",
    "state": "Greater London",
    "zip": "W1",
    "company": "Analytical Engines",
    "website": "https://example.com",
    "address": "12 St James's Square",
}
ALREADY_EXISTS = {"status": "Error", "message": "Lead already exists", "type": "244"}


@pytest.fixture(autouse=True)
def interleave() -> Iterator[None]:
    """Switch threads as often as the interpreter can, so races show."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def race(tasks: Sequence[Callable[[], T]]) -> list[T]:
    """Run every task in its own thread, all released at once; results in task order."""
    barrier = threading.Barrier(len(tasks))
    results: list[T | None] = [None] * len(tasks)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = tasks[index]()
        except BaseException as exc:  # re-raised in the test's thread below
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(tasks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if failures:
        raise failures[0]
    assert all(result is not None for result in results)
    return [result for result in results if result is not None]


def api_request(params: dict[str, object]) -> ApiRequest:
    """The call as the server hands it to the backend (decoded from PHP's form encoding)."""
    body = build_query({**DEMO, **params}).encode()
    return ApiRequest(decode_body(body, "application/x-www-form-urlencoded").params)


def handling(backend: Backend, params: dict[str, object]) -> Callable[[], Reply]:
    request = api_request(params)
    return lambda: backend.handle(request)


def create(email: str) -> dict[str, object]:
    return {"lead": {"email": email}, "actions": [{"cmd": "create_lead"}]}


def demo_leads(backend: Backend) -> list[dict[str, Any]]:
    state: Any = backend.state()
    (account,) = [a for a in state["accounts"] if a["api_key"] == DEMO["api_key"]]
    leads: list[dict[str, Any]] = account.get("leads", [])
    return leads


def unlimited() -> Backend:
    return Backend(overrides=Overrides(rate_limit=0))


def test_fifty_threads_creating_one_email_give_one_success() -> None:
    backend = unlimited()
    replies = race([handling(backend, create("ada@example.com"))] * 50)
    assert [reply.status_code for reply in replies] == [200] * 50
    successes = [reply for reply in replies if reply.body["status"] == "Success"]
    assert len(successes) == 1
    failures = [reply.body for reply in replies if reply.body["status"] != "Success"]
    assert failures == [ALREADY_EXISTS] * 49
    assert len(demo_leads(backend)) == 1
    assert sorted(entry.seq for entry in backend.journal()) == list(range(1, 51))


def test_fifty_threads_creating_distinct_emails_get_ids_one_to_fifty() -> None:
    backend = unlimited()
    replies = race([handling(backend, create(f"lead{n}@example.com")) for n in range(50)])
    ids = [reply.body["actions"][0]["create_lead"]["lead_details"]["id"] for reply in replies]  # type: ignore[index]
    assert sorted(int(lead_id) for lead_id in ids) == list(range(1, 51))
    assert sorted(lead["id"] for lead in demo_leads(backend)) == list(range(1, 51))
    assert sorted(entry.seq for entry in backend.journal()) == list(range(1, 51))


def test_threads_editing_one_lead_lose_nothing() -> None:
    backend = Backend(
        {
            "settings": {"rate_limit": 0},
            "accounts": [
                {
                    "api_key": DEMO["api_key"],
                    "api_password": DEMO["api_password"],
                    "custom_fields": [{"identifier": f, "type": "input_field"} for f in FIELDS],
                    "tags": TAGS,
                    "leads": [{"id": 1, "email": "edit@example.com"}],
                }
            ],
        }
    )
    lead = {"email": "edit@example.com"}
    calls: list[dict[str, object]] = [
        {
            "lead": {**lead, "custom_fields": [{"field_identifier": f, "field_value": f"v{f}"}]},
            "actions": [{"cmd": "edit_lead"}],
        }
        for f in FIELDS
    ]
    calls += [{"lead": lead, "actions": [{"cmd": "assign_tag", "tag_name": tag}]} for tag in TAGS]
    calls += [
        {"lead": {**lead, name: value}, "actions": [{"cmd": "edit_lead"}]}
        for name, value in PROFILE.items()
    ]
    replies = race([handling(backend, params) for params in calls])
    assert all(reply.body["status"] == "Success" for reply in replies)
    (stored,) = demo_leads(backend)
    assert stored["custom_fields"] == {f: f"v{f}" for f in FIELDS}
    assert sorted(stored["tags"]) == sorted(TAGS)
    assert {name: stored.get(name) for name in PROFILE} == PROFILE


def test_several_in_process_transports_at_once_create_one_lead() -> None:
    # Each transport runs the app on its own event-loop thread: the calls really overlap.
    backend = unlimited()
    app = create_app(backend=backend)
    body = build_query({**DEMO, **create("grace@example.com")})
    transports = [SyncASGITransport(app) for _ in range(12)]

    def post(transport: SyncASGITransport) -> Callable[[], httpx.Response]:
        client = httpx.Client(transport=transport, base_url="http://kartra-mock.invalid")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return lambda: client.post("/api", content=body, headers=headers)

    try:
        for transport in transports:  # start every event-loop thread before the race
            httpx.Client(transport=transport, base_url="http://x").get("/_mock/health")
        responses = race([post(transport) for transport in transports])
    finally:
        for transport in transports:
            transport.close()
    statuses = [response.json()["status"] for response in responses]
    assert sorted(statuses) == ["Error"] * 11 + ["Success"]
    assert len(demo_leads(backend)) == 1
