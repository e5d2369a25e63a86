"""Numbers of any length from a client get Kartra's error or a 4xx, never a 500.

Python's ``int()`` refuses a string of more than 4,300 digits with a ``ValueError``; every
number a client sends goes through one bounded parser (``docs/operations.md#limits``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from tests.helpers import Api
from tests.kartra_mock.server.worlds import entry, error, seeded

HUGE = "6" * 5_000
LONG = "1" * 19  # one digit more than any id


def custom(identifier: str, value: object) -> dict[str, Any]:
    return {"0": {"field_identifier": identifier, "field_value": value}}


@pytest.mark.parametrize("digits", [HUGE, LONG, "0" * 5_000 + "612x"])
@pytest.mark.parametrize(
    "fields",
    [
        lambda n: custom("dropdown1", n),
        lambda n: custom("checkbox1", [n]),
        lambda n: custom("checkbox1", ["620", n]),
    ],
    ids=["drop_down", "checkbox", "field_value[]"],
)
def test_an_option_id_too_long_to_be_one_is_271(api: Api, digits: str, fields: Any) -> None:
    api.create("a@example.com")
    before = api.state()
    for actions, lead in [
        ([{"cmd": "create_lead"}], {"email": "b@example.com"}),
        ([{"cmd": "edit_lead"}], {"id": "1"}),
    ]:
        answer = api.call({"lead": {**lead, "custom_fields": fields(digits)}, "actions": actions})
        assert answer == {"status": "Error", "message": "Wrong custom field format", "type": "271"}
    assert api.state() == before


def test_an_option_id_with_leading_zeros_is_that_option(api: Api) -> None:
    api.create("a@example.com", custom_fields=custom("dropdown1", "0" * 5_000 + "612"))
    assert api.state()["accounts"][0]["leads"][0]["custom_fields"] == {"dropdown1": 612}


@pytest.mark.parametrize("digits", [HUGE, LONG])
def test_a_lead_id_too_long_is_not_found(api: Api, digits: str) -> None:
    api.create("a@example.com")
    answer = api.call({"lead": {"id": digits}, "actions": [{"cmd": "edit_lead"}]})
    assert answer["type"] == "243"
    assert api.call({"get_lead": {"id": digits}})["type"] == "234"


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ({"cmd": "refund_transaction", "transaction_id": HUGE}, "247"),
        ({"cmd": "give_points_to_lead", "points": HUGE}, "227"),
        ({"cmd": "give_points_to_lead", "points": "5", "expiration": HUGE}, "227"),
        ({"cmd": "remove_points_from_lead", "points": HUGE}, "228"),
    ],
    ids=["transaction_id", "points", "expiration", "remove-points"],
)
def test_huge_numbers_in_actions_get_the_commands_own_error(
    action: dict[str, str], code: str
) -> None:
    api = seeded()
    before = api.state()
    answer = entry(api.call({"lead": {"id": "1"}, "actions": [action]}))
    assert answer == error(code)
    assert api.state() == before


@pytest.fixture
def http() -> TestClient:
    return TestClient(create_app(backend=Backend(overrides=Overrides(rate_limit=0))))


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("DELETE", f"/_mock/faults/{HUGE}", 404),
        ("DELETE", f"/_mock/faults/{LONG}", 404),
        ("DELETE", "/_mock/faults/\u00b2", 404),
        ("GET", f"/_mock/requests?since={HUGE}", 422),
        ("POST", f"/_mock/accounts/demo-key/leads/{HUGE}/delete", 404),
    ],
    ids=["fault-huge", "fault-long", "fault-superscript", "since", "delete-lead"],
)
def test_control_plane_numbers_of_any_length_are_4xx(
    http: TestClient, method: str, path: str, status: int
) -> None:
    response = http.request(method, path)
    assert response.status_code == status
    assert len(response.text) < 500  # the number is not echoed whole


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "kartra_error", "type": HUGE, "message": "x"},
        {"kind": "kartra_error", "type": "\u00b2"},
        {"kind": "latency", "latency_ms": 10**400},
        {"kind": "drop", "probability": 10**400},
        {"kind": "drop", "times": 10**400},
        {"kind": "drop", "probability": 0.5, "seed": 10**400},
    ],
    ids=["type", "type-superscript", "latency", "probability", "times", "seed"],
)
def test_a_fault_with_a_huge_number_is_422(http: TestClient, fault: dict[str, Any]) -> None:
    response = http.post("/_mock/faults", content=json.dumps(fault))
    assert response.status_code == 422, response.text
    assert http.get("/_mock/faults").status_code == 200


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "kartra_error", "type": "245", "message": "x\ud800"},
        {"kind": "drop", "api_key": "k\udfff"},
        {"kind": "drop", "app_id": "\ud800"},
    ],
    ids=["message", "api_key", "app_id"],
)
def test_a_fault_with_a_lone_surrogate_is_422(http: TestClient, fault: dict[str, Any]) -> None:
    response = http.post("/_mock/faults", content=json.dumps(fault))
    assert response.status_code == 422, response.text
    assert http.get("/_mock/faults").status_code == 200


@pytest.mark.parametrize("where", ["id", "score", "next_id"])
def test_a_state_document_with_a_huge_int_is_422(http: TestClient, where: str) -> None:
    document: dict[str, Any] = {"accounts": [{"api_key": "k", "leads": []}]}
    account = document["accounts"][0]
    lead = {"id": 1, "email": "a@example.com"}
    if where == "next_id":
        account["next_id"] = 10**400
    else:
        lead[where] = 10**400
    account["leads"].append(lead)
    response = http.put("/_mock/state", content=json.dumps(document))
    assert response.status_code == 422, response.text
    assert http.get("/_mock/state").status_code == 200


@pytest.mark.parametrize(
    ("declared", "status"), [(HUGE, 413), ("\u00b2", 200)], ids=["huge", "superscript"]
)
def test_a_content_length_that_int_cannot_read_is_not_a_500(declared: str, status: int) -> None:
    async def post() -> httpx.Response:
        app = create_app(backend=Backend(overrides=Overrides(rate_limit=0)))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            request = client.build_request("POST", "/api", content=b"app_id=x")
            request.headers["Content-Length"] = declared
            return await client.send(request)

    assert asyncio.run(post()).status_code == status
