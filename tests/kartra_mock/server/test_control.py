"""The control plane (docs/control-plane.md): health, reset, state, lead deletion, journal."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import kartra_mock
from kartra_mock.engine.state import DEFAULT_DOCUMENT
from tests.helpers import DEMO, Api

CREATE = [{"cmd": "create_lead"}]


def test_health_answers_ok_and_the_version(api: Api) -> None:
    response = api.http.get("/_mock/health")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ok", "version": kartra_mock.__version__},
    )


def test_reset_restores_the_initial_world_and_empties_the_journal(api: Api) -> None:
    initial = api.state()
    api.create("a@example.com")
    assert api.http.post("/_mock/reset").json()["status"] == "ok"
    assert api.state() == initial
    assert api.http.get("/_mock/requests").json() == {"requests": []}


def test_reset_of_one_account_leaves_the_others(api: Api) -> None:
    other = {"app_id": "x", "api_key": "other", "api_password": "p"}
    api.create("a@example.com")
    api.call({"lead": {"email": "b@example.com"}, "actions": CREATE}, credentials=other)
    api.http.post("/_mock/reset", params={"api_key": "demo-key"})
    accounts = {a["api_key"]: a for a in api.state()["accounts"]}
    assert accounts["demo-key"]["leads"] == []
    assert [lead["email"] for lead in accounts["other"]["leads"]] == ["b@example.com"]
    journal = api.http.get("/_mock/requests").json()["requests"]
    assert [entry["api_key"] for entry in journal] == ["other"]
    api.http.post("/_mock/reset", params={"api_key": "other"})
    assert "other" not in {a["api_key"] for a in api.state()["accounts"]}


def test_state_round_trips_through_put(api: Api) -> None:
    api.create(
        "a@example.com",
        first_name="Ada",
        custom_fields={"0": {"field_identifier": "checkbox1", "field_value": ["620"]}},
    )
    api.call({"lead": {"id": "1"}, "actions": [{"cmd": "assign_tag", "tag_name": "Customer"}]})
    api.backend.delete_lead("demo-key", 1)
    snapshot = api.http.get("/_mock/state").json()
    fresh = Api()
    assert fresh.http.put("/_mock/state", json=snapshot).status_code == 200
    assert fresh.http.get("/_mock/state").json() == snapshot
    # The next id continues after the seeded leads.
    assert fresh.create("b@example.com") == "2"


def test_put_state_becomes_the_world_to_reset_to(api: Api) -> None:
    document: dict[str, Any] = {
        "accounts": [
            {"api_key": "k", "api_password": "p", "leads": [{"id": 7, "email": "s@e.com"}]}
        ]
    }
    api.http.put("/_mock/state", json=document)
    api.call(
        {"lead": {"email": "new@e.com"}, "actions": CREATE},
        credentials={"app_id": "a", "api_key": "k", "api_password": "p"},
    )
    api.http.post("/_mock/reset")
    leads = api.state()["accounts"][0]["leads"]
    assert [lead["id"] for lead in leads] == [7]


def _bad(path: str, value: object) -> dict[str, Any]:
    document = copy.deepcopy(DEFAULT_DOCUMENT)
    target: Any = document
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = value
    return document


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (b"{}", "document.accounts: is required"),
        (_bad("auth", "sometimes"), "unknown auth mode"),
        (_bad("settings.rate_limit", "fast"), "settings.rate_limit"),
        (
            _bad("accounts.0.custom_fields", [{"identifier": "x", "type": "slider"}]),
            "unknown field type",
        ),
        (_bad("accounts.0.api_key", ""), "api_key"),
        (
            _bad("accounts.0.leads", [{"id": 1, "email": "a@b.c"}, {"id": 1, "email": "d@e.f"}]),
            "duplicate lead id",
        ),
        (
            _bad("accounts.0.leads", [{"id": 1, "email": "a@b.c"}, {"id": 2, "email": "A@B.C"}]),
            "duplicate lead email",
        ),
        (
            _bad(
                "accounts.0.custom_fields",
                [{"identifier": "d", "type": "drop_down", "options": [{"id": 1}, {"id": 1}]}],
            ),
            "duplicate option id",
        ),
        (_bad("accounts.0.leads", [{"id": 1, "email": "a@b.c", "tags": ["Nope"]}]), "tag 'Nope'"),
        (_bad("accounts.0.surprise", 1), "unknown key 'surprise'"),
    ],
)
def test_invalid_state_documents_are_422_and_change_nothing(
    api: Api, body: Any, reason: str
) -> None:
    api.create("keep@example.com")
    before = api.state()
    if isinstance(body, bytes):
        response = api.http.put("/_mock/state", content=body)
    else:
        accounts = body.get("accounts")
        if isinstance(accounts, list) and accounts and "api_key" not in accounts[0]:
            pytest.fail("test document lost its api_key")
        response = api.http.put("/_mock/state", json=body)
    assert response.status_code == 422
    assert reason in response.json()["error"]
    assert api.state() == before


def test_a_missing_api_key_is_422(api: Api) -> None:
    response = api.http.put("/_mock/state", json={"accounts": [{"api_password": "p"}]})
    assert response.status_code == 422
    assert "api_key: is required" in response.json()["error"]


def test_delete_lead_makes_it_245(api: Api) -> None:
    api.create("a@example.com")
    response = api.http.post("/_mock/accounts/demo-key/leads/1/delete")
    assert response.status_code == 200
    answer = api.call({"lead": {"id": "1"}, "actions": [{"cmd": "search_lead"}]})
    assert answer["type"] == "245"
    assert api.call({"get_lead": {"id": "1"}})["type"] == "245"


@pytest.mark.parametrize(
    "path",
    [
        "/_mock/accounts/demo-key/leads/9/delete",
        "/_mock/accounts/nobody/leads/1/delete",
        "/_mock/accounts/demo-key/leads/x/delete",
    ],
)
def test_delete_of_an_unknown_lead_is_404(api: Api, path: str) -> None:
    api.create("a@example.com")
    response = api.http.post(path)
    assert response.status_code == 404
    assert "error" in response.json()


def test_journal_records_calls_without_the_password(api: Api) -> None:
    api.call({"lead": {"email": "a@example.com", "colour": "red"}, "actions": CREATE})
    entries = api.http.get("/_mock/requests").json()["requests"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["params"]["api_password"] == "[redacted]"
    assert "demo-password" not in str(entry)
    assert entry["api_key"] == "demo-key"
    assert entry["response"]["status"] == "Success"
    assert entry["warnings"] == [
        {
            "rule": "lead.unknown-field",
            "detail": "lead[colour] is not a lead field",
            "source": "documented",
            "reference": "docs/behaviour.md#lead-fields",
            "accepted": False,
        }
    ]
    assert api.http.delete("/_mock/requests").status_code == 200
    assert api.http.get("/_mock/requests").json() == {"requests": []}


def test_journal_filters_by_account(api: Api) -> None:
    api.call({"actions": [{"cmd": "retrieve_account_tags"}]})
    api.call({"actions": [{"cmd": "retrieve_account_tags"}]}, credentials={**DEMO, "api_key": "b"})
    entries = api.http.get("/_mock/requests", params={"api_key": "b"}).json()["requests"]
    assert [entry["api_key"] for entry in entries] == ["b"]


def test_unknown_routes_and_methods_answer_json(api: Api) -> None:
    missing = api.http.get("/_mock/nothing")
    assert missing.status_code == 404
    assert missing.json()["error"]
    wrong = api.http.delete("/api")
    assert wrong.status_code == 405
    assert wrong.json()["error"]
