"""Checks before any action (docs/behaviour.md#checks) and accounts (docs/behaviour.md#accounts)."""

from __future__ import annotations

from typing import Any

import pytest

from kartra_mock.domain.model import AuthMode
from kartra_mock.engine.backend import Overrides
from kartra_mock.engine.state import DEFAULT_DOCUMENT
from tests.helpers import DEMO, Api

SEARCH = {"lead": {"email": "a@example.com"}, "actions": [{"cmd": "search_lead"}]}


def world(**changes: Any) -> dict[str, Any]:
    return {
        "auth": "strict",
        "apps": [
            {"app_id": "demo-app"},
            {"app_id": "off-app", "active": False},
            {"app_id": "orphan-app", "owner_active": False},
            {"app_id": "walled-app", "allowed_ips": ["10.9.9.9"]},
        ],
        "accounts": [
            {"api_key": "demo-key", "api_password": "demo-password"},
            {"api_key": "off-key", "api_password": "pw", "active": False},
        ],
        **changes,
    }


@pytest.mark.parametrize(
    ("credentials", "code", "message"),
    [
        ({}, "238", "App Id cannot be empty. Please get an App Id first"),
        ({"app_id": ""}, "238", "App Id cannot be empty. Please get an App Id first"),
        ({"app_id": "nope"}, "239", "App Id is not valid. The app does not exists or is inactive"),
        (
            {"app_id": "off-app"},
            "239",
            "App Id is not valid. The app does not exists or is inactive",
        ),
        ({"app_id": "orphan-app"}, "240", "App Account inactive"),
        ({"app_id": "walled-app"}, "242", "This API call was sent from an unauthorized IP"),
        ({"app_id": "demo-app"}, "202", "API key cannot be empty. Please get an API key first"),
        (
            {"app_id": "demo-app", "api_key": "x"},
            "203",
            "API key not valid. Please get an API key first",
        ),
        (
            {"app_id": "demo-app", "api_key": "demo-key", "api_password": "wrong"},
            "233",
            "API password not valid. Please get an API password first",
        ),
        (
            {"app_id": "demo-app", "api_key": "off-key", "api_password": "pw"},
            "204",
            "API Account inactive",
        ),
    ],
)
def test_strict_mode_checks_in_order(credentials: dict[str, str], code: str, message: str) -> None:
    api = Api(world())
    # "lead" as a scalar would be 223: every credential check comes first.
    assert api.call({"lead": "x"}, credentials=credentials) == {
        "status": "Error",
        "message": message,
        "type": code,
    }


def test_https_check_comes_first_when_required() -> None:
    api = Api(overrides=Overrides(rate_limit=0, require_https=True))
    answer = api.call(SEARCH, credentials={})
    assert answer == {"status": "Error", "message": "Connection not secure", "type": "201"}
    forwarded = api.http.post(
        "/api",
        data={**DEMO, "actions[0][cmd]": "retrieve_account_tags"},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert forwarded.json()["status"] == "Success"


def test_open_mode_accepts_any_app_and_invents_isolated_accounts(api: Api) -> None:
    one = {"app_id": "any-app", "api_key": "tenant-1", "api_password": "whatever"}
    two = {"app_id": "other-app", "api_key": "tenant-2", "api_password": "else"}
    create = {"lead": {"email": "same@example.com"}, "actions": [{"cmd": "create_lead"}]}
    assert api.call(create, credentials=one)["status"] == "Success"
    assert api.call(create, credentials=two)["status"] == "Success"
    assert api.call(SEARCH | {"lead": {"email": "same@example.com"}}, credentials=one)[
        "lead_details"
    ] == {"id": "1"}
    # Both new accounts start from the template: the custom fields of Kartra's examples, the demo
    # tags and lists.
    assert api.call({"actions": [{"cmd": "retrieve_account_tags"}]}, credentials=two)[
        "account_tags"
    ] == ["Customer"]
    keys = [a["api_key"] for a in api.state()["accounts"]]
    assert keys == ["demo-key", "tenant-1", "tenant-2"]


def test_open_mode_still_checks_configured_accounts_and_apps() -> None:
    document = world(auth="open")
    api = Api(document)
    wrong = {**DEMO, "api_password": "nope"}
    assert api.call(SEARCH, credentials=wrong)["type"] == "233"
    assert api.call(SEARCH, credentials={**DEMO, "app_id": "off-app"})["type"] == "239"
    assert (
        api.call(SEARCH, credentials={**DEMO, "api_key": "off-key", "api_password": "pw"})["type"]
        == "204"
    )


def test_an_auto_created_account_exists_even_if_its_first_call_fails(api: Api) -> None:
    answer = api.call({"lead": "x"}, credentials={"app_id": "a", "api_key": "fresh"})
    assert answer["type"] == "223"
    assert "fresh" in [a["api_key"] for a in api.state()["accounts"]]


def test_strict_override_from_the_command_line_wins_over_the_document() -> None:
    api = Api(overrides=Overrides(rate_limit=0, auth=AuthMode.STRICT))
    assert api.call(SEARCH, credentials={**DEMO, "api_key": "unknown"})["type"] == "203"


def test_credentials_in_the_query_string_work_and_are_warned_about(api: Api) -> None:
    response = api.http.post(
        "/api?app_id=demo-app&api_key=demo-key&api_password=demo-password",
        data={"actions[0][cmd]": "retrieve_account_lists"},
    )
    assert response.json() == {"status": "Success", "account_lists": ["Newsletter"]}
    assert "wire.query-string" in api.warnings()


def test_the_body_wins_over_the_query_string(api: Api) -> None:
    response = api.http.post(
        "/api?app_id=demo-app&api_key=demo-key&api_password=wrong",
        data={"api_password": "demo-password", "actions[0][cmd]": "retrieve_account_lists"},
    )
    assert response.json()["status"] == "Success"


def test_default_world_is_the_documented_one() -> None:
    accounts = DEFAULT_DOCUMENT["accounts"]
    assert isinstance(accounts, list)
    assert accounts[0]["api_key"] == "demo-key"
    identifiers = [f["identifier"] for f in accounts[0]["custom_fields"]]
    assert identifiers == ["text1", "dropdown1", "checkbox1"]
