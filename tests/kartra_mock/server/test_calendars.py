"""Calendars: calendar_subscribe / calendar_cancel (docs/behaviour.md#calendar_subscribe), dates in
EST."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.kartra_mock.server.worlds import Clock, entry, error, seeded

ADA = {"email": "ada@example.com"}
SUBSCRIBED = {"status": "Success", "message": "Lead subscribed to class", "type": "112"}
CANCELLED = {"status": "Success", "message": "Lead unsubscribed from class", "type": "113"}


def subscribe(calendar: str = "Coaching", klass: str = "Monday class", **when: str) -> Any:
    return {"cmd": "calendar_subscribe", "calendar_name": calendar, "class_name": klass, **when}


def cancel(calendar: str = "Coaching", klass: str = "Monday class") -> dict[str, str]:
    return {"cmd": "calendar_cancel", "calendar_name": calendar, "class_name": klass}


def act(api: Api, action: dict[str, str]) -> dict[str, Any]:
    return entry(api.call({"lead": ADA, "actions": [action]}))


# The clock stands at 2024-06-01 12:00:00 EST (17:00 UTC).
SUBSCRIBE_CASES: list[Any] = [
    pytest.param(subscribe(), SUBSCRIBED, id="no-date"),
    pytest.param(subscribe(starting_date="16 Jan 2025", starting_hour="15:00"), SUBSCRIBED),
    pytest.param(subscribe(starting_date="1 jun 2024"), SUBSCRIBED, id="today-without-hour"),
    pytest.param(subscribe(starting_date="01 Jun 2024", starting_hour="12:00"), SUBSCRIBED),
    pytest.param(subscribe(starting_date="29 Feb 2028", starting_hour="9:05"), SUBSCRIBED),
    pytest.param(subscribe(""), error("255"), id="255"),
    pytest.param({"cmd": "calendar_subscribe"}, error("255"), id="255-nothing"),
    pytest.param(subscribe("Coaching", ""), error("256"), id="256"),
    pytest.param(subscribe("Nope"), error("257"), id="257-unknown"),
    pytest.param(subscribe("Draft", "Intro"), error("257"), id="257-not-completed"),
    pytest.param(subscribe("Coaching", "Intro"), error("258"), id="258-other-calendar"),
    pytest.param(subscribe(starting_date="2025-01-16"), error("260"), id="260-iso"),
    pytest.param(subscribe(starting_date="16 Janu 2025"), error("260"), id="260-month"),
    pytest.param(subscribe(starting_date="30 Feb 2025"), error("260"), id="260-no-such-day"),
    pytest.param(
        subscribe(starting_date="16 Jan 2025", starting_hour="3pm"), error("260"), id="260-hour"
    ),
    pytest.param(
        subscribe(starting_date="16 Jan 2025", starting_hour="24:00"), error("260"), id="260-24h"
    ),
    pytest.param(subscribe(starting_hour="15:00"), error("260"), id="260-hour-without-date"),
    pytest.param(subscribe(starting_date="31 May 2024"), error("261"), id="261-yesterday"),
    pytest.param(
        subscribe(starting_date="01 Jun 2024", starting_hour="11:59"), error("261"), id="261"
    ),
]


@pytest.mark.parametrize(("action", "expected"), SUBSCRIBE_CASES)
def test_subscribe_codes_and_messages(action: dict[str, str], expected: dict[str, str]) -> None:
    api = seeded()
    before = api.state()
    assert act(api, action) == expected
    if expected["status"] == "Error":
        assert api.state() == before


CANCEL_CASES: list[Any] = [
    pytest.param(cancel(), CANCELLED, id="cancel"),
    pytest.param(cancel(""), error("255"), id="255"),
    pytest.param(cancel("Coaching", ""), error("256"), id="256"),
    pytest.param(cancel("Nope"), error("257"), id="257"),
    pytest.param(cancel("Coaching", "Nope"), error("258"), id="258"),
    pytest.param(cancel("Coaching", "Friday class"), error("259"), id="259-other-class"),
]


@pytest.mark.parametrize(("action", "expected"), CANCEL_CASES)
def test_cancel_codes_and_messages(action: dict[str, str], expected: dict[str, str]) -> None:
    api = seeded()
    act(api, subscribe())
    assert act(api, action) == expected


def test_a_cancelled_booking_cannot_be_cancelled_twice() -> None:
    api = seeded()
    assert act(api, cancel()) == error("259")
    act(api, subscribe())
    assert act(api, cancel()) == CANCELLED
    assert act(api, cancel()) == error("259")


def test_in_the_past_follows_the_injected_clock() -> None:
    clock = Clock()
    api = seeded(clock)
    when = subscribe(starting_date="02 Jun 2024", starting_hour="09:30")
    assert act(api, when) == SUBSCRIBED
    clock.now += 86_400  # 2024-06-02 12:00 EST: 09:30 has gone
    assert act(api, when) == error("261")


def test_hours_are_est_not_utc() -> None:
    # 2024-06-01 12:00 EST is 17:00 UTC: 13:00 is still ahead in EST (but past in UTC).
    assert act(seeded(), subscribe(starting_date="01 Jun 2024", starting_hour="13:00")) == (
        SUBSCRIBED
    )


def test_bookings_round_trip_through_the_state_document() -> None:
    api = seeded()
    act(api, subscribe(starting_date="16 Jan 2025", starting_hour="15:00"))
    act(api, subscribe("Coaching", "Friday class", starting_date="3 Jul 2024"))
    snapshot = api.state()
    assert snapshot["accounts"][0]["leads"][0]["calendars"] == [
        {"calendar": "Coaching", "class": "Monday class", "start": "2025-01-16 15:00"},
        {"calendar": "Coaching", "class": "Friday class", "start": "2024-07-03"},
    ]
    copy = seeded()
    assert copy.http.put("/_mock/state", json=snapshot).status_code == 200
    assert copy.state() == snapshot
    assert act(copy, cancel("Coaching", "Friday class")) == CANCELLED


def test_calendar_commands_need_a_live_lead() -> None:
    api = seeded()
    assert api.call({"lead": {"id": "99"}, "actions": [subscribe()]}) == error("243")
    assert api.call({"lead": {"id": "3"}, "actions": [cancel()]}) == error("245")
