"""The one whole-number parser every id, count and position from a client goes through."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartra_mock.protocol.numbers import MAX_DIGITS, MAX_WHOLE, is_whole, parse_whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("48110", 48110),
        ("007", 7),
        ("0" * 40 + "12", 12),  # leading zeros are not significant
        ("9" * MAX_DIGITS, MAX_WHOLE),
        ("1" * (MAX_DIGITS + 1), None),
        ("1" * 5_000, None),  # int() would refuse it with a ValueError
        ("", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
        ("1e3", None),
        ("\u0663", None),  # ARABIC-INDIC DIGIT THREE: str.isdigit() says yes
        ("\u00b2", None),  # SUPERSCRIPT TWO: isdigit() yes, int() no
        (12, None),
        (None, None),
    ],
)
def test_parse_whole(text: object, expected: int | None) -> None:
    assert parse_whole(text) == expected


def test_a_command_may_tighten_the_bound_but_not_loosen_it() -> None:
    assert parse_whole("1234567890", max_digits=9) is None
    assert parse_whole("123456789", max_digits=9) == 123456789
    assert parse_whole("1" * (MAX_DIGITS + 1), max_digits=40) is None


@given(st.text(max_size=30))
def test_any_text_is_a_bounded_number_or_none(text: str) -> None:
    number = parse_whole(text)
    assert number is None or 0 <= number <= MAX_WHOLE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, True),
        (0, True),
        (MAX_WHOLE, True),
        (MAX_WHOLE + 1, False),
        (-1, False),
        (True, False),
        (1.0, False),
        ("1", False),
    ],
)
def test_is_whole(value: object, expected: bool) -> None:
    assert is_whole(value) is expected


def test_is_whole_refuses_a_huge_int_without_printing_it() -> None:
    assert not is_whole(10**5000)
