"""Points, sequences and calendars round-trip through the mock (docs/behaviour.md#commands).

The "shop" world (tests/kartra_mock/server/worlds.py): Ada is lead 1, Bob 2, lead 3 is
deleted; sequences Welcome (steps 1, 2, 3) and Onboarding; calendar Coaching (Monday class,
Friday class) and Draft (not completed). The clock stands at 2024-06-01 12:00:00 EST.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from kartra_mock import errors
from kartra_mock.client import ActionResult, LeadSequence
from tests.kartra_mock.client import AnyClient, Connector, settle
from tests.kartra_mock.server.worlds import DAY

pytestmark = pytest.mark.anyio


def _bookings(kartra: Connector) -> Any:
    """Ada's calendar bookings, as the mock's state document records them."""
    state: Any = kartra.target("shop").backend.state()
    return state["accounts"][0]["leads"][0]["calendars"]


async def test_points_round_trip_and_expire(kartra: Connector) -> None:
    client = kartra.client("shop")
    given = await settle(client.give_points_to_lead(10, id=1))
    assert given == ActionResult("give_points_to_lead", "Success", "Points added to lead", "105")
    await settle(client.give_points_to_lead(5, expiration=2, email="ada@example.com"))
    removed = await settle(client.remove_points_from_lead(3, id="1"))
    assert (removed.message, removed.type_code) == ("Points removed from lead", "106")
    assert (await settle(client.get_lead(id=1))).score == 12
    kartra.target("shop").time.now += 2 * DAY  # the 5 expiring points are deducted again
    assert (await settle(client.get_lead(id=1))).score == 7


async def test_sequences_round_trip(kartra: Connector) -> None:
    client = kartra.client("shop")
    added = await settle(client.subscribe_lead_to_sequence_at_step("Welcome", 2, id=1))
    assert (added.message, added.type_code) == ("Lead added to sequence", "107")
    profile = await settle(client.get_lead(id=1))
    assert profile.sequences == (LeadSequence("1", "Welcome", "2", "active"),)
    removed = await settle(
        client.unsubscribe_lead_from_sequence("Welcome", email="ada@example.com")
    )
    # The unsubscribe page was unreadable: the mock's success has no type
    # (docs/behaviour.md#unsubscribe_lead_from_sequence).
    assert (removed.ok, removed.message, removed.type_code) == (
        True,
        "Lead removed from sequence",
        "",
    )
    profile = await settle(client.get_lead(id=1))
    assert profile.sequences == (LeadSequence("1", "Welcome", "2", "unsubscribed"),)


async def test_calendars_round_trip(kartra: Connector) -> None:
    client = kartra.client("shop")
    booked = await settle(
        client.calendar_subscribe(
            "Coaching",
            "Monday class",
            starting_date=date(2024, 6, 3),
            starting_hour=time(15, 0),
            id=1,
        )
    )
    assert (booked.message, booked.type_code) == ("Lead subscribed to class", "112")
    assert _bookings(kartra) == [
        {"calendar": "Coaching", "class": "Monday class", "start": "2024-06-03 15:00"}
    ]
    # An aware datetime is sent as EST wall time: 20:00 UTC is 15:00 EST.
    await settle(
        client.calendar_subscribe(
            "Coaching",
            "Friday class",
            starting_date="7 Jun 2024",
            starting_hour=datetime(2024, 6, 7, 20, 0, tzinfo=UTC),
            id=1,
        )
    )
    assert _bookings(kartra)[1]["start"] == "2024-06-07 15:00"
    cancelled = await settle(client.calendar_cancel("Coaching", "Monday class", id=1))
    assert (cancelled.message, cancelled.type_code) == ("Lead unsubscribed from class", "113")
    assert [booking["class"] for booking in _bookings(kartra)] == ["Friday class"]


Send = Callable[[AnyClient], Any]


def case(name: str, send: Send, error: type[errors.KartraError]) -> Any:
    """One typed error case, with a readable id."""
    return pytest.param(send, error, id=name)


MONDAY = ("Coaching", "Monday class")


@pytest.mark.parametrize(
    ("send", "error"),
    [
        case("points-negative", lambda c: c.give_points_to_lead(-5, id=1), errors.PointsNotNumber),
        case(
            "expiration-negative",
            lambda c: c.give_points_to_lead(5, expiration=-1, id=1),
            errors.PointsNotNumber,
        ),
        case(
            "points-no-lead",
            lambda c: c.give_points_to_lead(5, email="ghost@example.com"),
            errors.LeadNotFound,
        ),
        case(
            "remove-negative",
            lambda c: c.remove_points_from_lead(-5, id=1),
            errors.RemovePointsNotNumber,
        ),
        case("remove-deleted", lambda c: c.remove_points_from_lead(5, id=3), errors.LeadDeleted),
        case(
            "sequence-unknown",
            lambda c: c.subscribe_lead_to_sequence_at_step("Nope", 1, id=1),
            errors.SequenceNotFound,
        ),
        case(
            "sequence-empty",
            lambda c: c.subscribe_lead_to_sequence_at_step("", 1, id=1),
            errors.SequenceNameEmpty,
        ),
        case(
            "step-empty",
            lambda c: c.subscribe_lead_to_sequence_at_step("Welcome", "", id=1),
            errors.StepEmpty,
        ),
        case(
            "step-not-alphanumeric",
            lambda c: c.subscribe_lead_to_sequence_at_step("Welcome", "a-2", id=1),
            errors.StepNotAlphanumeric,
        ),
        case(
            "step-unknown",
            lambda c: c.subscribe_lead_to_sequence_at_step("Welcome", 9, id=1),
            errors.StepNotFound,
        ),
        case(
            "unsubscribe-sequence-unknown",
            lambda c: c.unsubscribe_lead_from_sequence("Nope", id=1),
            errors.UnsubscribeSequenceNotFound,
        ),
        case(
            "calendar-empty",
            lambda c: c.calendar_subscribe("", "Monday class", id=1),
            errors.CalendarNameEmpty,
        ),
        case(
            "class-empty",
            lambda c: c.calendar_subscribe("Coaching", "", id=1),
            errors.ClassNameEmpty,
        ),
        case(
            "calendar-not-completed",
            lambda c: c.calendar_subscribe("Draft", "Intro", id=1),
            errors.CalendarNotFound,
        ),
        case(
            "class-unknown",
            lambda c: c.calendar_subscribe("Coaching", "Nope", id=1),
            errors.ClassNotFound,
        ),
        case(
            "date-format",
            lambda c: c.calendar_subscribe(*MONDAY, starting_date="2024-06-03", id=1),
            errors.InvalidDateFormat,
        ),
        case(
            "date-past",
            lambda c: c.calendar_subscribe(*MONDAY, starting_date=date(2024, 5, 31), id=1),
            errors.DateInPast,
        ),
        case(
            "cancel-class-unknown",
            lambda c: c.calendar_cancel("Coaching", "Nope", id=1),
            errors.ClassNotFound,
        ),
        case(
            "cancel-not-booked",
            lambda c: c.calendar_cancel(*MONDAY, id=1),
            errors.NoCalendarSubscription,
        ),
    ],
)
async def test_a_failed_lead_action_raises_its_catalogue_class(
    kartra: Connector, send: Callable[[AnyClient], Any], error: type[errors.KartraError]
) -> None:
    with pytest.raises(error) as caught:
        await settle(send(kartra.client("shop")))
    assert caught.value.type_code == error.type_code


async def test_an_action_the_typed_method_cannot_send_goes_through_the_chain(
    kartra: Connector,
) -> None:
    """``points`` is an ``int`` in the method; a chain's ``action`` sends anything (215)."""
    chain = kartra.client("shop").chain(id=1).action("give_points_to_lead")
    with pytest.raises(errors.PointsEmpty):
        await settle(chain.send(raise_on_action_error=True))


async def test_lead_actions_chain_on_one_lead(kartra: Connector) -> None:
    client = kartra.client("shop")
    result = await settle(
        client.chain(email="cy@example.com")
        .create_lead()
        .give_points_to_lead(4)
        .subscribe_lead_to_sequence_at_step("Onboarding", "a2")
        .calendar_subscribe("Coaching", "Friday class")
        .calendar_cancel("Coaching", "Nope")
        .send()
    )
    assert [(action.cmd, action.type_code) for action in result.actions] == [
        ("create_lead", ""),
        ("give_points_to_lead", "105"),
        ("subscribe_lead_to_sequence_at_step", "107"),
        ("calendar_subscribe", "112"),
        ("calendar_cancel", "258"),
    ]
    assert isinstance(result.failed[0].error, errors.ClassNotFound)
    assert result.lead is not None
    profile = await settle(client.get_lead(id=result.lead.id))
    assert (profile.score, profile.sequences[0].step) == (4, "a2")
