"""Kartra's date and time formats, as the client writes them into a request.

Kartra's pages give every date in EST (docs/behaviour.md#calendar_subscribe,
docs/behaviour.md#edit_subscription); like the mock, the client reads that as a fixed UTC-5 without
daylight saving (inferred). A naive ``datetime`` or ``time`` is taken to be EST wall time already;
an aware ``datetime`` is converted. A string is sent as given, so a test can send exactly the bytes
it wants.

Example::

    >>> calendar_date(date(2025, 1, 16)), calendar_hour(time(15, 0))
    ('16 Jan 2025', '15:00')
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

__all__ = ["EST", "calendar_date", "calendar_hour", "payment_date"]

#: Kartra's "EST", read as a fixed UTC-5 (inferred).
EST = timezone(timedelta(hours=-5), "EST")

# Written out rather than strftime("%b"): month abbreviations follow the process locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _est(moment: datetime) -> datetime:
    return moment if moment.tzinfo is None else moment.astimezone(EST)


def calendar_date(value: date | str) -> str:
    """calendar_subscribe's ``starting_date``: ``DD Mmm YYYY`` (documented: ``16 Jan 2019``)."""
    if isinstance(value, str):
        return value
    day = _est(value).date() if isinstance(value, datetime) else value
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year:04d}"


def calendar_hour(value: time | datetime | str) -> str:
    """calendar_subscribe's ``starting_hour``: ``HH:MM`` (documented: ``15:00``)."""
    if isinstance(value, str):
        return value
    clock = _est(value).time() if isinstance(value, datetime) else value
    return f"{clock.hour:02d}:{clock.minute:02d}"


def payment_date(value: datetime | str) -> str:
    """edit_subscription's ``subscription_next_payment_date``: ``YYYY-MM-DD HH:MM`` (documented).

    Seconds are left out: the documented format has none (its example does;
    docs/behaviour.md#dates)."""
    if isinstance(value, str):
        return value
    return _est(value).strftime("%Y-%m-%d %H:%M")
