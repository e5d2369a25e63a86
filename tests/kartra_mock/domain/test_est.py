"""EST time stamps: what Kartra writes and reads (fixed UTC-5)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartra_mock.domain.est import est_moment, format_est, parse_est, today_est

NOON = 1_717_261_200  # 2024-06-01 17:00:00 UTC


def test_format_is_est_whatever_the_season() -> None:
    assert format_est(NOON) == "2024-06-01 12:00:00"
    assert format_est(1_704_067_200) == "2023-12-31 19:00:00"  # 2024-01-01 00:00 UTC


@given(st.integers(min_value=0, max_value=253_000_000_000))
def test_parse_reads_back_what_format_writes(moment: int) -> None:
    assert parse_est(format_est(moment)) == moment


@pytest.mark.parametrize(
    "text",
    ["2024-06-01", "2024-06-01 12:00", "2024-13-01 00:00:00", "2024-02-30 00:00:00", "x", ""],
)
def test_parse_refuses_what_is_not_a_full_stamp(text: str) -> None:
    assert parse_est(text) is None


def test_seconds_may_be_optional() -> None:
    assert parse_est("2024-06-01 12:00", seconds_optional=True) == NOON
    assert parse_est("2024-06-01 12:00:30", seconds_optional=True) == NOON + 30
    assert parse_est("2024-06-01 25:00", seconds_optional=True) is None


def test_days_and_moments() -> None:
    assert today_est(NOON) == date(2024, 6, 1)
    assert today_est(NOON + 12 * 3600) == date(2024, 6, 2)  # midnight EST is 05:00 UTC
    assert est_moment(date(2024, 6, 1), 12, 0) == NOON
