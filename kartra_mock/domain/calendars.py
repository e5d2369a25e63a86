"""Calendars: calendar_subscribe and calendar_cancel (docs/behaviour.md#calendar_subscribe,
documented).

A lead is subscribed to a class of a calendar, optionally from a date (``DD Mmm YYYY``) and an
hour (``HH:MM``), both EST. The date is checked against the injected clock, so "Date is in the
past" (261) is deterministic in tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from kartra_mock.domain.actions import ActionContext, Command, Entry, success
from kartra_mock.domain.est import est_moment, today_est
from kartra_mock.domain.model import Calendar
from kartra_mock.protocol import errors

__all__ = ["CALENDAR_COMMANDS", "read_start"]

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: ``16 Jan 2019`` (documented); one-digit days and any letter case are read as PHP's
#: ``d M Y`` reads them (inferred).
_DATE = re.compile(r"([0-9]{1,2}) ([A-Za-z]{3}) ([0-9]{4})")
_HOUR = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def _class_of(ctx: ActionContext) -> tuple[Calendar, str]:
    """The calendar and class an action names: 255, 256, 257, 258 in the documented order."""
    calendar_name = ctx.required("calendar_name", errors.CalendarNameEmpty)
    class_name = ctx.required("class_name", errors.ClassNameEmpty)
    calendar = ctx.account.calendars.get(calendar_name)
    # "Not in the database or not completed" (documented).
    if calendar is None or not calendar.complete:
        raise errors.CalendarNotFound
    if class_name not in calendar.classes:
        raise errors.ClassNotFound
    return calendar, class_name


def _read_date(raw: str) -> date:
    match = _DATE.fullmatch(raw)
    if match is None or match.group(2).lower() not in _MONTHS:
        raise errors.InvalidDateFormat
    month = _MONTHS.index(match.group(2).lower()) + 1
    try:
        return date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        raise errors.InvalidDateFormat from None


def _read_hour(raw: str) -> tuple[int, int]:
    match = _HOUR.fullmatch(raw)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise errors.InvalidDateFormat
    return int(match.group(1)), int(match.group(2))


def read_start(starting_date: str, starting_hour: str, now: float) -> str:
    """When the lead attends, as stored: ``YYYY-MM-DD HH:MM``, ``YYYY-MM-DD`` or ``""``.

    Both parameters are optional (documented: not starred). Without them the lead is
    subscribed to the class with no session picked (inferred). An hour without a date names
    no moment: 260 (inferred). A date alone is in the past when its day is before today's
    (EST); a date and hour when that minute is before ``now``.
    """
    if starting_date == "":
        if starting_hour != "":
            raise errors.InvalidDateFormat
        return ""
    day = _read_date(starting_date)
    if starting_hour == "":
        if day < today_est(now):
            raise errors.DateInPast
        return day.isoformat()
    hour, minute = _read_hour(starting_hour)
    if est_moment(day, hour, minute) < now:
        raise errors.DateInPast
    return f"{day.isoformat()} {hour:02d}:{minute:02d}"


def _subscribe(ctx: ActionContext) -> Entry:
    calendar, class_name = _class_of(ctx)
    start = read_start(ctx.text("starting_date"), ctx.text("starting_hour"), ctx.now)
    # Subscribing again to the same class moves the booking (inferred: one per class).
    ctx.the_lead().calendars[(calendar.name, class_name)] = start
    return success("Lead subscribed to class", "112")


def _cancel(ctx: ActionContext) -> Entry:
    calendar, class_name = _class_of(ctx)
    lead = ctx.the_lead()
    # A booking stays "active/pending" until it is cancelled: the mock does not hold classes,
    # so it never completes one (inferred).
    if lead.calendars.pop((calendar.name, class_name), None) is None:
        raise errors.NoCalendarSubscription
    return success("Lead unsubscribed from class", "113")


CALENDAR_COMMANDS: Mapping[str, Command] = {
    "calendar_subscribe": Command(
        _subscribe,
        True,
        frozenset({"calendar_name", "class_name", "starting_date", "starting_hour"}),
    ),
    "calendar_cancel": Command(_cancel, True, frozenset({"calendar_name", "class_name"})),
}
