"""The error catalogue: one class per Kartra code, exact messages, shared by all sides."""

from __future__ import annotations

import json

import httpx
import pytest

from kartra_mock import errors
from kartra_mock.client import KartraClient
from kartra_mock.protocol import errors as registry
from kartra_mock.protocol.facts import Source


def test_every_code_has_exactly_one_class() -> None:
    codes = [cls.type_code for cls in errors.ERROR_CLASSES]
    assert len(codes) == len(set(codes))
    assert set(errors.ERRORS_BY_TYPE) == set(codes)
    assert all(code.isdigit() for code in codes)


def test_all_is_pinned() -> None:
    names = {cls.__name__ for cls in errors.ERROR_CLASSES}
    exported = vars(errors)["__all__"]  # derived at run time, so not visible to mypy
    assert len(exported) == len(set(exported))
    assert set(exported) == names | {
        "CATALOGUE",
        "CatalogueEntry",
        "ERRORS_BY_TYPE",
        "ERROR_CLASSES",
        "KartraError",
        "UnknownKartraError",
        "error_for_type",
    }
    assert all(getattr(errors, name) is getattr(registry, name) for name in exported)


def test_the_catalogue_is_in_code_order_and_lists_every_class() -> None:
    codes = [entry.type_code for entry in registry.CATALOGUE]
    assert codes == sorted(codes, key=int)
    assert [(entry.name, entry.message, entry.source) for entry in registry.CATALOGUE] == [
        (cls.__name__, cls.default_message, cls.source) for cls in errors.ERROR_CLASSES
    ]
    assert len(registry.CATALOGUE) == 76
    assert registry.ERRORS_BY_TYPE["220"].source is Source.OBSERVED
    assert registry.ERRORS_BY_TYPE["901"].source is Source.INFERRED


def test_each_class_line_registers_its_error() -> None:
    assert errors.LeadNotFound.__doc__ == "243: No lead found"
    assert errors.ERRORS_BY_TYPE["243"] is errors.LeadNotFound
    assert errors.TooManyRequests.status_code == 429


def test_the_catalogue_is_closed_to_new_codes() -> None:
    with pytest.raises(TypeError, match=r"declared in kartra_mock\.protocol\.errors"):

        class Late(errors.KartraError, type_code="999", message="Too late"): ...

    assert "999" not in errors.ERRORS_BY_TYPE


def test_a_refinement_of_your_own_keeps_its_parents_code() -> None:
    class MissingLead(errors.LeadNotFound):
        """A caller's own refinement: not a new Kartra code."""

    assert (MissingLead.type_code, MissingLead().message) == ("243", "No lead found")
    assert errors.ERRORS_BY_TYPE["243"] is errors.LeadNotFound


@pytest.mark.parametrize(
    "error",
    [cls for cls in errors.ERROR_CLASSES if cls.status_code == 200],
    ids=lambda cls: cls.__name__,
)
def test_the_client_raises_each_class_from_its_flat_envelope(
    error: type[errors.KartraError],
) -> None:
    body = {"status": "Error", "message": error.default_message, "type": error.type_code}
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=json.dumps(body)))
    with (
        KartraClient(app_id="a", api_key="k", api_password="p", transport=transport) as client,
        pytest.raises(error) as caught,
    ):
        client.retrieve_account_tags()
    assert type(caught.value) is error
    assert caught.value.to_json() == body


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("243", "No lead found"),
        ("244", "Lead already exists"),
        ("245", "Lead is deleted"),
        ("271", "Wrong custom field format"),
        ("206", "email or lead id is required. Nothing done"),
        ("239", "App Id is not valid. The app does not exists or is inactive"),
        ("254", "'cmd' is required"),
        ("429", "Too many requests"),
        ("901", "Lead command must be the first action. Nothing done"),
    ],
)
def test_messages_are_kartras_exact_words(code: str, message: str) -> None:
    error = errors.error_for_type(code)
    assert (error.type_code, error.message) == (code, message)
    assert error.to_json() == {"status": "Error", "message": message, "type": code}


def test_only_the_rate_limit_has_a_non_200_status() -> None:
    assert {
        cls.type_code: cls.status_code for cls in errors.ERROR_CLASSES if cls.status_code != 200
    } == {"429": 429}


def test_unknown_codes_keep_what_was_received() -> None:
    error = errors.error_for_type("999", "Something new")
    assert isinstance(error, errors.UnknownKartraError)
    assert error.to_json() == {"status": "Error", "message": "Something new", "type": "999"}


def test_a_received_message_overrides_the_default() -> None:
    assert errors.LeadNotFound("Lead not found!").message == "Lead not found!"
    assert isinstance(errors.error_for_type("243"), errors.LeadNotFound)
