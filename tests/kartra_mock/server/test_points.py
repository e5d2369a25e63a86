"""Lead score points: give_points_to_lead / remove_points_from_lead
(docs/behaviour.md#give_points_to_lead)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.kartra_mock.server.worlds import DAY, Clock, entry, error, seeded

ADA = {"email": "ada@example.com"}


def act(api: Api, **action: str) -> dict[str, Any]:
    return entry(api.call({"lead": ADA, "actions": [action]}))


def score(api: Api) -> int:
    return int(api.get_lead(id="1")["score"])


#: (action, expected entry): every code these commands return (docs/errors.md).
CASES: list[Any] = [
    pytest.param(
        {"cmd": "give_points_to_lead", "points": "5"},
        {"status": "Success", "message": "Points added to lead", "type": "105"},
        id="give",
    ),
    pytest.param({"cmd": "give_points_to_lead"}, error("215"), id="give-missing-215"),
    pytest.param({"cmd": "give_points_to_lead", "points": ""}, error("215"), id="give-empty-215"),
    pytest.param({"cmd": "give_points_to_lead", "points": "many"}, error("227"), id="give-227"),
    pytest.param({"cmd": "give_points_to_lead", "points": "1.5"}, error("227"), id="give-dec-227"),
    pytest.param({"cmd": "give_points_to_lead", "points": "-3"}, error("227"), id="give-neg-227"),
    pytest.param(
        {"cmd": "give_points_to_lead", "points": "3", "expiration": "soon"},
        error("227"),
        id="give-bad-expiration-227",
    ),
    pytest.param(
        {"cmd": "remove_points_from_lead", "points": "5"},
        {"status": "Success", "message": "Points removed from lead", "type": "106"},
        id="remove",
    ),
    pytest.param({"cmd": "remove_points_from_lead"}, error("217"), id="remove-217"),
    pytest.param({"cmd": "remove_points_from_lead", "points": "x"}, error("228"), id="remove-228"),
]


@pytest.mark.parametrize(("action", "expected"), CASES)
def test_codes_and_messages(action: dict[str, str], expected: dict[str, str]) -> None:
    api = seeded()
    before = api.state()
    answer = api.call({"lead": ADA, "actions": [action]})
    assert answer == {"status": "Success", "actions": [{action["cmd"]: expected}]}
    if expected["status"] == "Error":
        assert api.state() == before


def test_points_add_up_and_come_off_and_may_go_below_zero() -> None:
    api = seeded()
    act(api, cmd="give_points_to_lead", points="10")
    act(api, cmd="give_points_to_lead", points="5", expiration="0")  # 0: never expires
    assert score(api) == 15
    act(api, cmd="remove_points_from_lead", points="20")
    assert score(api) == -5


def test_points_with_an_expiration_are_deducted_again_on_the_injected_clock() -> None:
    clock = Clock()
    api = seeded(clock)
    act(api, cmd="give_points_to_lead", points="10")
    act(api, cmd="give_points_to_lead", points="7", expiration="3")
    assert score(api) == 17
    clock.now += 3 * DAY - 1
    assert score(api) == 17
    clock.now += 1
    assert score(api) == 10


def test_expiring_points_survive_a_state_round_trip_and_still_expire() -> None:
    clock = Clock()
    api = seeded(clock)
    act(api, cmd="give_points_to_lead", points="4", expiration="1")
    lead = api.state()["accounts"][0]["leads"][0]
    assert lead["score"] == 0
    assert lead["expiring_points"] == [{"points": 4, "expires": "2024-06-02 12:00:00"}]
    copy = seeded(clock)
    assert copy.http.put("/_mock/state", json=api.state()).status_code == 200
    assert score(copy) == 4
    clock.now += DAY
    assert score(copy) == 0


def test_expired_grants_are_forgotten_on_the_next_write() -> None:
    clock = Clock()
    api = seeded(clock)
    act(api, cmd="give_points_to_lead", points="4", expiration="1")
    clock.now += 2 * DAY
    act(api, cmd="give_points_to_lead", points="1")
    lead = api.state()["accounts"][0]["leads"][0]
    assert (lead["score"], lead["expiring_points"]) == (1, [])


def test_points_need_an_existing_live_lead() -> None:
    api = seeded()
    give = [{"cmd": "give_points_to_lead", "points": "1"}]
    assert api.call({"lead": {"email": "nobody@example.com"}, "actions": give}) == error("243")
    assert api.call({"lead": {"id": "3"}, "actions": give}) == error("245")
    assert api.call({"actions": give}) == error("206")


def test_points_chain_after_create_lead() -> None:
    api = seeded()
    answer = api.call(
        {
            "lead": {"email": "new@example.com"},
            "actions": [
                {"cmd": "create_lead"},
                {"cmd": "give_points_to_lead", "points": "3"},
                {"cmd": "give_points_to_lead", "points": "oops"},
            ],
        }
    )
    assert entry(answer, 1)["type"] == "105"
    assert entry(answer, 2) == error("227")
    assert api.get_lead(email="new@example.com")["score"] == "3"
