"""The OpenAPI 3.1 document: valid, served, and complete (every route, ``type`` and ``cmd``)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from openapi_spec_validator import validate
from starlette.routing import Route
from starlette.testclient import TestClient

from kartra_mock import errors
from kartra_mock.domain.commands import COMMANDS
from kartra_mock.domain.leads import LEAD_COMMANDS
from kartra_mock.engine.faults import FaultKind
from kartra_mock.server.app import create_app
from kartra_mock.server.openapi import openapi_document


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def test_it_is_a_valid_openapi_3_1_document(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_the_validator_would_notice_a_broken_document(document: dict[str, Any]) -> None:
    broken = copy.deepcopy(document)
    del broken["paths"]["/_mock/faults/{fault_id}"]["delete"]["parameters"]
    with pytest.raises(Exception, match="fault_id"):
        validate(broken)


def test_it_is_served_at_mock_openapi_json(document: dict[str, Any]) -> None:
    with TestClient(create_app()) as http:
        response = http.get("/_mock/openapi.json")
    assert response.status_code == 200
    assert response.json() == document


def test_every_route_and_method_of_the_app_is_documented(document: dict[str, Any]) -> None:
    served = {
        (route.path, method.lower())
        for route in create_app().routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch"}
    }
    assert served == documented


def test_every_kartra_error_type_is_listed(document: dict[str, Any]) -> None:
    listed = {
        variant["const"]: variant["title"]
        for variant in document["components"]["schemas"]["ErrorType"]["oneOf"]
    }
    assert listed == {cls.type_code: cls.__name__ for cls in errors.ERROR_CLASSES}


def test_every_command_is_an_action_with_its_parameters(document: dict[str, Any]) -> None:
    variants = {
        variant["properties"]["cmd"]["const"]: set(variant["properties"]) - {"cmd"}
        for variant in document["components"]["schemas"]["Action"]["oneOf"]
    }
    assert set(variants) == set(COMMANDS) | LEAD_COMMANDS
    for cmd, command in COMMANDS.items():
        assert variants[cmd] == set(command.params), cmd


def test_every_fault_kind_is_a_variant_with_its_own_fields(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    mapping = schemas["FaultRequest"]["discriminator"]["mapping"]
    assert list(mapping) == [kind.value for kind in FaultKind]
    fields = {
        kind: set(schemas[ref.rsplit("/", 1)[1]]["properties"]) for kind, ref in mapping.items()
    }
    assert {"type", "message"} <= fields["kartra_error"]
    assert "status" in fields["server_error"]
    assert not {"type", "message", "status"} & (fields["drop"] | fields["rate_limit"])


def test_the_document_names_no_fixed_port(document: dict[str, Any]) -> None:
    assert document["servers"] == [
        {"url": "/", "description": "the kartra-mock that served this document"}
    ]


def test_api_bodies_are_optional_as_no_body_is_a_call_too(document: dict[str, Any]) -> None:
    assert document["paths"]["/api"]["post"]["requestBody"]["required"] is False
    with TestClient(create_app()) as http:
        assert http.post("/api").json()["type"] == "238"


def test_a_state_document_account_requires_its_api_key(document: dict[str, Any]) -> None:
    accounts = document["components"]["schemas"]["StateDocument"]["properties"]["accounts"]
    assert accounts["items"]["required"] == ["api_key"]


def test_since_has_the_bound_the_server_enforces(document: dict[str, Any]) -> None:
    (since,) = [
        parameter
        for parameter in document["paths"]["/_mock/requests"]["get"]["parameters"]
        if parameter["name"] == "since"
    ]
    maximum = since["schema"]["maximum"]
    with TestClient(create_app()) as http:
        assert http.get("/_mock/requests", params={"since": maximum}).status_code == 200
        assert http.get("/_mock/requests", params={"since": maximum + 1}).status_code == 422


def test_a_405_on_the_state_lists_get_and_put() -> None:
    with TestClient(create_app()) as http:
        response = http.delete("/_mock/state")
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "PUT"}


def test_a_fault_id_of_thousands_of_digits_is_404() -> None:
    with TestClient(create_app(), raise_server_exceptions=False) as http:
        response = http.delete("/_mock/faults/" + "7" * 5000)
    assert response.status_code == 404
