"""Kartra's clock face: every date it reads or writes is EST, ``YYYY-MM-DD HH:MM:SS``.

Kartra's pages say "EST" (docs/behaviour.md#get_lead, docs/behaviour.md#calendar_subscribe,
docs/behaviour.md#get_subscription_details); we read that literally as a fixed UTC-5 with no
daylight saving (inferred), so a test's dates never shift with the season. The clock itself is
injected: these helpers only convert, they never ask the time."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone

__all__ = [
    "EST",
    "FIRST_MOMENT",
    "LAST_MOMENT",
    "NO_DATE",
    "est_moment",
    "format_est",
    "parse_est",
    "today_est",
]

EST = timezone(timedelta(hours=-5), "EST")
#: What Kartra writes for a date that has not happened (docs/behaviour.md#get_subscription_details,
#: documented).
NO_DATE = "0000-00-00 00:00:00"

_STAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")


#: The wall clock of EST's epoch; EST arithmetic on it never passes through UTC, whose year
#: 10000 begins five hours before EST's does.
_EPOCH = datetime(1970, 1, 1) - timedelta(hours=5)
#: The first and last moments a stamp can name (0001-01-01 00:00:00 .. 9999-12-31 23:59:59 EST).
FIRST_MOMENT = (datetime(1, 1, 1) - _EPOCH).total_seconds()
LAST_MOMENT = (datetime(9999, 12, 31, 23, 59, 59) - _EPOCH).total_seconds()


def _wall_clock(now: float) -> datetime:
    """The EST wall clock at ``now``, clamped to what a stamp can name (never raises).

    The domain never stores a moment outside that range (give_points_to_lead refuses such an
    expiration); the clamp keeps a state dump total even for an injected clock gone wild.
    """
    if math.isnan(now):
        now = 0.0
    return _EPOCH + timedelta(seconds=min(max(now, FIRST_MOMENT), LAST_MOMENT))


def format_est(now: float) -> str:
    """A timestamp as Kartra writes it: ``YYYY-MM-DD HH:MM:SS`` in EST."""
    moment = _wall_clock(now)
    # Not strftime: its %Y drops the leading zeros of years before 1000 on glibc.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def parse_est(text: str, *, seconds_optional: bool = False) -> float | None:
    """The moment a ``YYYY-MM-DD HH:MM:SS`` EST stamp names, or ``None`` if it is not one.

    With ``seconds_optional``, ``YYYY-MM-DD HH:MM`` is read too (edit_subscription documents
    that form while its own example carries seconds: docs/behaviour.md#dates).
    """
    match = _STAMP.fullmatch(text)
    if match is None or (match.group(6) is None and not seconds_optional):
        return None
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=EST)
    except ValueError:
        return None
    return moment.timestamp()


def est_moment(day: date, hour: int = 0, minute: int = 0) -> float:
    """The moment of an EST calendar day and wall-clock time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=EST).timestamp()


def today_est(now: float) -> date:
    """The EST calendar day that ``now`` falls on."""
    return _wall_clock(now).date()
