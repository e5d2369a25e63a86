"""Every call is atomic: real concurrent requests against a real uvicorn server
(docs/behaviour.md#rate-limit, docs/control-plane.md)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from tests.helpers import DEMO, TLS, build_query

pytestmark = pytest.mark.socket

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CREATE = [{"cmd": "create_lead"}]
ALREADY_EXISTS = {"status": "Error", "message": "Lead already exists", "type": "244"}
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


def fire(url: str, bodies: Sequence[str]) -> list[httpx.Response]:
    """Post every body at once: one thread and one connection each, released by a barrier."""
    barrier = threading.Barrier(len(bodies))
    responses: list[httpx.Response | None] = [None] * len(bodies)
    failures: list[BaseException] = []

    def post(index: int, body: str) -> None:
        try:
            with httpx.Client(base_url=url, timeout=30, verify=TLS) as client:
                client.get("/_mock/health")  # open the connection before the race starts
                barrier.wait(timeout=30)
                responses[index] = client.post("/api", content=body, headers=FORM)
        except BaseException as exc:  # re-raised in the test's thread below
            failures.append(exc)
            barrier.abort()

    threads = [
        threading.Thread(target=post, args=(index, body)) for index, body in enumerate(bodies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if failures:
        raise failures[0]
    done = [response for response in responses if response is not None]
    assert len(done) == len(bodies)
    return done


def call(params: dict[str, object]) -> str:
    return build_query({**DEMO, **params})


def answers(responses: Sequence[httpx.Response]) -> list[dict[str, Any]]:
    assert all(response.status_code == 200 for response in responses)
    return [json.loads(response.content) for response in responses]


def demo_leads(url: str) -> list[dict[str, Any]]:
    state = httpx.get(url + "/_mock/state").json()
    (account,) = [a for a in state["accounts"] if a["api_key"] == DEMO["api_key"]]
    leads: list[dict[str, Any]] = account["leads"]
    return leads


@pytest.fixture
def server() -> Iterator[ThreadedServer]:
    """A real server, rate limit off."""
    with ThreadedServer(create_app(backend=Backend(overrides=Overrides(rate_limit=0)))) as running:
        yield running


def test_fifty_simultaneous_creates_of_one_email_give_one_success(
    server: ThreadedServer,
) -> None:
    body = call({"lead": {"email": "race@example.com"}, "actions": CREATE})
    replies = answers(fire(server.url, [body] * 50))
    successes = [reply for reply in replies if reply["status"] == "Success"]
    assert successes == [
        {
            "status": "Success",
            "actions": [{"create_lead": {"status": "Success", "lead_details": {"id": "1"}}}],
        }
    ]
    assert [reply for reply in replies if reply != successes[0]] == [ALREADY_EXISTS] * 49
    leads = demo_leads(server.url)
    assert [(lead["id"], lead["email"]) for lead in leads] == [(1, "race@example.com")]


def test_fifty_simultaneous_creates_of_distinct_emails_get_ids_one_to_fifty(
    server: ThreadedServer,
) -> None:
    bodies = [call({"lead": {"email": f"u{i}@example.com"}, "actions": CREATE}) for i in range(50)]
    replies = answers(fire(server.url, bodies))
    ids = [reply["actions"][0]["create_lead"]["lead_details"]["id"] for reply in replies]
    assert sorted(ids, key=int) == [str(i) for i in range(1, 51)]
    leads = demo_leads(server.url)
    assert sorted(lead["id"] for lead in leads) == list(range(1, 51))
    assert {lead["email"] for lead in leads} == {f"u{i}@example.com" for i in range(50)}
    # Each reply names the id that was stored for its own email.
    by_email = {lead["email"]: str(lead["id"]) for lead in leads}
    assert [by_email[f"u{i}@example.com"] for i in range(50)] == ids


def test_concurrent_edits_of_one_lead_lose_nothing(server: ThreadedServer) -> None:
    document = {
        "accounts": [
            {
                "api_key": DEMO["api_key"],
                "api_password": DEMO["api_password"],
                "custom_fields": [{"identifier": f, "type": "input_field"} for f in FIELDS],
                "tags": TAGS,
                "leads": [{"id": 1, "email": "edit@example.com"}],
            }
        ]
    }
    assert httpx.put(server.url + "/_mock/state", json=document).status_code == 200
    lead = {"email": "edit@example.com"}
    bodies = [
        call(
            {
                "lead": {
                    **lead,
                    "custom_fields": [{"field_identifier": f, "field_value": f"value of {f}"}],
                },
                "actions": [{"cmd": "edit_lead"}],
            }
        )
        for f in FIELDS
    ]
    bodies += [
        call({"lead": lead, "actions": [{"cmd": "assign_tag", "tag_name": tag}]}) for tag in TAGS
    ]
    bodies += [
        call({"lead": {**lead, name: value}, "actions": [{"cmd": "edit_lead"}]})
        for name, value in PROFILE.items()
    ]
    assert len(bodies) == 50
    replies = answers(fire(server.url, bodies))
    assert all(reply["status"] == "Success" for reply in replies), replies
    assert all(
        entry["status"] == "Success"
        for reply in replies
        for cmd in reply["actions"]
        for entry in cmd.values()
    ), replies
    (stored,) = demo_leads(server.url)
    assert stored["custom_fields"] == {f: f"value of {f}" for f in FIELDS}
    assert sorted(stored["tags"]) == sorted(TAGS)
    assert {name: stored.get(name) for name in PROFILE} == PROFILE


def test_the_rate_limit_holds_under_concurrency() -> None:
    # A clock that never moves: all forty calls fall in one window, which cannot slide.
    backend = Backend(overrides=Overrides(rate_limit=20), clock=lambda: 1000.0)
    with ThreadedServer(create_app(backend=backend)) as server:
        bodies = [
            call({"lead": {"email": f"r{i}@example.com"}, "actions": CREATE}) for i in range(40)
        ]
        responses = fire(server.url, bodies)
        assert Counter(response.status_code for response in responses) == {200: 20, 429: 20}
        for response in responses:
            reply = json.loads(response.content)
            if response.status_code == 429:
                assert reply == {"status": "Error", "message": "Too many requests", "type": "429"}
            else:
                assert reply["status"] == "Success"
        # Only the served calls changed anything.
        leads = demo_leads(server.url)
        assert sorted(lead["id"] for lead in leads) == list(range(1, 21))
        journal = httpx.get(server.url + "/_mock/requests").json()["requests"]
        assert Counter(entry["status_code"] for entry in journal) == {200: 20, 429: 20}
