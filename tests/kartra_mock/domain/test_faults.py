"""Fault scheduling, the pure part: parsing, scope, counts, seeded probability."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kartra_mock.engine.faults import (
    MAX_FAULTS,
    Fault,
    FaultError,
    FaultKind,
    FaultPlan,
    FaultSchedule,
    parse_schedule,
)


def hits(plan: FaultPlan, calls: list[tuple[str, str]]) -> list[int | None]:
    """For each call (api_key, app_id), the id of the fault it got, or None."""
    found = []
    for api_key, app_id in calls:
        hit = plan.take(api_key, app_id)
        found.append(None if hit is None else hit.id)
    return found


def test_a_fault_hits_the_next_call_only_by_default() -> None:
    plan = FaultPlan()
    plan.add(parse_schedule({"kind": "drop"}))
    assert hits(plan, [("k", "a")] * 3) == [1, None, None]
    assert plan.scheduled() == []


def test_times_counts_the_matching_calls() -> None:
    plan = FaultPlan()
    added = plan.add(parse_schedule({"kind": "rate_limit", "times": 2, "api_key": "k"}))
    assert added["remaining"] == 2
    calls = [("k", "a"), ("other", "a"), ("k", "a"), ("k", "a")]
    assert hits(plan, calls) == [1, None, 1, None]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"api_key": "k"}, [1, None, 1, None]),
        ({"app_id": "a"}, [1, 1, None, None]),
        ({"api_key": "k", "app_id": "a"}, [1, None, None, None]),
        ({}, [1, 1, 1, 1]),
    ],
)
def test_scope_by_account_app_or_both(scope: dict[str, str], expected: list[int | None]) -> None:
    plan = FaultPlan()
    plan.add(parse_schedule({"kind": "drop", "times": 10, **scope}))
    calls = [("k", "a"), ("other", "a"), ("k", "b"), ("other", "b")]
    assert hits(plan, calls) == expected


def test_the_oldest_matching_fault_wins_and_one_call_gets_one_fault() -> None:
    plan = FaultPlan()
    plan.add(parse_schedule({"kind": "drop", "api_key": "k"}))
    plan.add(parse_schedule({"kind": "rate_limit"}))
    first = plan.take("k", "a")
    second = plan.take("k", "a")
    assert first is not None
    assert second is not None
    assert (first.fault.kind, second.fault.kind) == (FaultKind.DROP, FaultKind.RATE_LIMIT)


def test_a_seeded_probability_is_reproducible() -> None:
    def pattern(seed: int) -> list[int | None]:
        plan = FaultPlan()
        plan.add(parse_schedule({"kind": "drop", "probability": 0.5, "seed": seed}))
        return hits(plan, [("k", "a")] * 64)

    first = pattern(7)
    assert first == pattern(7)
    assert first != pattern(8)
    # Roughly half, and neither all nor none: the draws are really random.
    assert 10 < first.count(1) < 54


def test_a_probability_lasts_until_cleared_unless_times_is_given() -> None:
    plan = FaultPlan()
    plan.add(parse_schedule({"kind": "drop", "probability": 1}))
    assert hits(plan, [("k", "a")] * 5) == [1] * 5
    assert plan.scheduled()[0]["remaining"] is None
    assert plan.scheduled()[0]["fired"] == 5
    limited = FaultPlan()
    limited.add(parse_schedule({"kind": "drop", "probability": 1, "times": 2}))
    assert hits(limited, [("k", "a")] * 3) == [1, 1, None]


@given(
    times=st.integers(min_value=1, max_value=20),
    calls=st.lists(st.sampled_from(["k", "x"]), max_size=40),
)
def test_exactly_the_first_n_matching_calls_are_hit(times: int, calls: list[str]) -> None:
    plan = FaultPlan()
    plan.add(FaultSchedule(Fault(FaultKind.DROP), api_key="k", times=times))
    got = hits(plan, [(key, "a") for key in calls])
    matching = [i for i, key in enumerate(calls) if key == "k"]
    assert [i for i, hit in enumerate(got) if hit is not None] == matching[:times]


def test_remove_and_clear() -> None:
    plan = FaultPlan()
    for key in ("k", "k", "other"):
        plan.add(parse_schedule({"kind": "drop", "api_key": key}))
    plan.add(parse_schedule({"kind": "drop"}))
    assert plan.remove(2)
    assert not plan.remove(2)
    assert plan.clear("k") == 1
    assert [f["api_key"] for f in plan.scheduled()] == ["other", None]
    assert plan.clear() == 2
    assert plan.scheduled() == []


def test_kartra_error_answers_the_catalogue_envelope() -> None:
    fault = parse_schedule({"kind": "kartra_error", "type": 245}).fault
    assert fault.answer() == (
        200,
        {"status": "Error", "message": "Lead is deleted", "type": "245"},
    )
    assert parse_schedule({"kind": "kartra_error", "type": "429"}).fault.answer()[0] == 429
    custom = parse_schedule({"kind": "kartra_error", "type": "999", "message": "New in 2030"})
    assert custom.fault.answer() == (
        200,
        {"status": "Error", "message": "New in 2030", "type": "999"},
    )


def test_what_each_kind_answers_when_the_call_does_not_run() -> None:
    def answer(document: dict[str, Any]) -> tuple[int, dict[str, object]]:
        return parse_schedule(document).fault.answer()

    too_many = {"status": "Error", "message": "Too many requests", "type": "429"}
    assert answer({"kind": "rate_limit"}) == (429, too_many)
    assert answer({"kind": "server_error"}) == (500, {})
    assert answer({"kind": "server_error", "status": 503}) == (503, {})
    assert answer({"kind": "drop"}) == (0, {})
    assert parse_schedule({"kind": "latency", "latency_ms": 5}).fault.runs_call


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({}, "kind: must be one of"),
        ({"kind": "explode"}, "kind: must be one of"),
        ({"kind": "drop", "colour": 1}, "unknown key 'colour'"),
        ({"kind": "kartra_error"}, "type: kartra_error needs a numeric Kartra type"),
        ({"kind": "kartra_error", "type": "abc"}, "numeric"),
        ({"kind": "kartra_error", "type": "999"}, "give a 'message' too"),
        ({"kind": "drop", "type": "245"}, "type: only a kartra_error fault"),
        ({"kind": "drop", "status": 500}, "status: only a server_error fault"),
        ({"kind": "server_error", "status": 404}, "status: must be one of 500, 502, 503, 504"),
        ({"kind": "latency"}, "needs a latency above 0"),
        ({"kind": "latency", "latency_ms": -1}, "latency_ms: must be between"),
        ({"kind": "latency", "latency_ms": 10**9}, "latency_ms: must be between"),
        ({"kind": "latency", "latency_ms": "slow"}, "latency_ms: must be a number"),
        ({"kind": "drop", "times": 0}, "times: must be 1 or more"),
        ({"kind": "drop", "times": 1.5}, "times: must be an integer"),
        ({"kind": "drop", "times": True}, "times: must be an integer"),
        ({"kind": "drop", "probability": 0}, "probability: must be above 0"),
        ({"kind": "drop", "probability": 1.5}, "probability: must be above 0"),
        ({"kind": "drop", "seed": 3}, "seed: only a fault with a probability"),
        ({"kind": "drop", "api_key": ""}, "api_key: must be a non-empty string"),
        ({"kind": "drop", "app_id": 7}, "app_id: must be a non-empty string"),
        ({"kind": "drop", "app_id": "a" * 1001}, "app_id: at most 1000 characters, not 1001"),
        ({"kind": "kartra_error", "type": "243", "message": "m" * 5000}, "message: at most"),
    ],
)
def test_invalid_faults_say_what_is_wrong(document: dict[str, Any], reason: str) -> None:
    with pytest.raises(FaultError, match=reason.replace("(", r"\(")):
        parse_schedule(document)


@pytest.mark.parametrize("key", ["times", "seed", "probability", "latency_ms", "api_key"])
def test_an_explicit_null_is_refused_not_taken_for_absent(key: str) -> None:
    with pytest.raises(FaultError, match=key):
        parse_schedule({"kind": "drop", "probability": 0.5, key: None})


def test_an_integral_float_is_an_integer_as_in_json_schema() -> None:
    assert parse_schedule({"kind": "drop", "times": 3.0}).times == 3


def test_the_scheduled_faults_are_bounded() -> None:
    plan = FaultPlan()
    for _ in range(MAX_FAULTS):
        plan.add(parse_schedule({"kind": "drop"}))
    with pytest.raises(FaultError, match="already scheduled"):
        plan.add(parse_schedule({"kind": "drop"}))
    assert plan.take("k", "a") is not None
    plan.add(parse_schedule({"kind": "drop"}))  # room again
