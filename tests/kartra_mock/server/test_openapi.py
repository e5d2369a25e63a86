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


def test_every_fault_kind_is_described(document: dict[str, Any]) -> None:
    kinds = document["components"]["schemas"]["FaultRequest"]["properties"]["kind"]["enum"]
    assert kinds == [kind.value for kind in FaultKind]
