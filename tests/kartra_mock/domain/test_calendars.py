"""When a lead attends a class: ``starting_date`` / ``starting_hour``
(docs/behaviour.md#calendar_subscribe)."""

from __future__ import annotations

import pytest

from kartra_mock import errors
from kartra_mock.domain.calendars import read_start

NOON = 1_717_261_200  # 2024-06-01 12:00:00 EST


@pytest.mark.parametrize(
    ("day", "hour", "stored"),
    [
        ("", "", ""),
        ("16 Jan 2025", "", "2025-01-16"),
        ("16 JAN 2025", "15:00", "2025-01-16 15:00"),
        ("1 Jun 2024", "", "2024-06-01"),
        ("01 Jun 2024", "12:00", "2024-06-01 12:00"),
        ("01 Jun 2024", "9:30", None),
    ],
)
def test_read_start(day: str, hour: str, stored: str | None) -> None:
    if stored is None:
        with pytest.raises(errors.DateInPast):
            read_start(day, hour, NOON)
    else:
        assert read_start(day, hour, NOON) == stored


@pytest.mark.parametrize(
    ("day", "hour"),
    [
        ("", "10:00"),
        ("2025-01-16", ""),
        ("16 Foo 2025", ""),
        ("32 Jan 2025", ""),
        ("16 Jan 25", ""),
        ("16 Jan 2025", "10"),
        ("16 Jan 2025", "10:60"),
        ("16 Jan 2025", "١٠:٠٠"),
    ],
)
def test_invalid_formats_are_260(day: str, hour: str) -> None:
    with pytest.raises(errors.InvalidDateFormat):
        read_start(day, hour, NOON)
