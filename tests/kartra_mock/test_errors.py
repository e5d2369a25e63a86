"""The error catalogue: one class per Kartra code, exact messages, shared by all sides."""

from __future__ import annotations

import pytest

from kartra_mock import errors


def test_every_code_has_exactly_one_class() -> None:
    codes = [cls.type_code for cls in errors.ERROR_CLASSES]
    assert len(codes) == len(set(codes))
    assert set(errors.ERRORS_BY_TYPE) == set(codes)
    assert all(code.isdigit() for code in codes)


def test_all_is_pinned() -> None:
    names = {cls.__name__ for cls in errors.ERROR_CLASSES}
    assert set(errors.__all__) == names | {
        "ERRORS_BY_TYPE",
        "ERROR_CLASSES",
        "KartraError",
        "UnknownKartraError",
        "error_for_type",
    }


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
