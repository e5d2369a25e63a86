"""Anything ``/api`` accepts round-trips through the state document (docs/control-plane.md).

The property: after any sequence of calls, of every command, with plausible and extreme
values, the world dumps to UTF-8 JSON, and dump -> load -> dump is identical. The examples
below it are the cases that once broke it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartra_mock.domain.commands import COMMANDS
from kartra_mock.domain.est import LAST_MOMENT, format_est, parse_est
from kartra_mock.engine.backend import ApiRequest, Backend, Overrides
from kartra_mock.engine.persistence import encode_state
from kartra_mock.protocol.forms import PhpValue
from tests.helpers import Api
from tests.kartra_mock.domain.test_command_properties import PLAUSIBLE, VALUES
from tests.kartra_mock.server.worlds import DAY, NOW, Clock, entry, error, seeded, world

CREDENTIALS = {"app_id": "a", "api_key": "demo-key", "api_password": "demo-password"}
#: Values at the edges of what a field can hold: long numbers, far dates, odd text.
EXTREME = [
    "3000000",
    "2912000",
    "999999999",
    "9" * 19,
    "1" * 5_000,
    "31 Dec 9999",
    "23:59",
    "9999-12-31 23:59:59",
    "9999-12-31 23:59",
    "0001-01-01 00:00:00",
    "9999.99",
    "100",
    "NaN",
    "inf",
    "1e400",
    "a\x00b",
    "\u202e\U0001f600",
]
PROFILE = ["first_name", "last_name", "phone", "company", "business_type"]
PROFILE += ["lead_preferred_time_zone", "website", "zip"]

text = st.sampled_from(VALUES + EXTREME) | st.text(max_size=6)
scalar: st.SearchStrategy[PhpValue] = text


#: Per parameter, the largest or furthest values a command might accept.
EDGES: dict[str, list[PhpValue]] = {
    "points": ["999999999", "1" * 5_000],
    "expiration": ["3000000", "2912000", "999999999", "1" * 5_000],
    "starting_date": ["31 Dec 9999", "1 Jan 0001"],
    "starting_hour": ["23:59"],
    "transaction_id": ["9" * 19, "1" * 5_000],
    "subscription_id": ["9" * 19, "1" * 5_000],
    "refund_amount": ["999999999.99", "1e400"],
    "subscription_next_payment_date": ["9999-12-31 23:59:59", "9999-12-31 23:59"],
    "subscription_amount": ["9999.99", "NaN"],
    "subscription_product_quantity": ["9999", "1" * 5_000],
    "subscription_installments_left": ["9999", "1" * 5_000],
    "subscription_tax_percent": ["100", "99.99", "inf"],
    "subscription_price_point": ["9" * 19, "1" * 5_000],
}


def _param(name: str) -> st.SearchStrategy[PhpValue]:
    plausible = st.sampled_from(PLAUSIBLE.get(name, [""]))
    edge = st.sampled_from(EDGES.get(name, EXTREME))
    # Mostly values that succeed, so the world grows; often an edge; now and then anything.
    return st.one_of(*[plausible] * 6, edge, edge, scalar)


def _action(cmd: str) -> st.SearchStrategy[dict[str, PhpValue]]:
    names = sorted(COMMANDS[cmd].params)
    optional = {name: st.one_of(st.none(), *[_param(name)] * 6) for name in names}
    return st.fixed_dictionaries(optional).map(
        lambda params: {"cmd": cmd, **{k: v for k, v in params.items() if v is not None}}
    )


custom_fields: st.SearchStrategy[PhpValue] = st.dictionaries(
    st.sampled_from(["0", "1"]),
    st.fixed_dictionaries(
        {
            "field_identifier": st.sampled_from(["text1", "dropdown1", "checkbox1", "notes"]),
            "field_value": scalar | st.dictionaries(st.sampled_from(["0", "1"]), scalar),
        }
    ),
    max_size=2,
)
lead_fields = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["1", "2", "4", "9" * 19]),
        "email": st.sampled_from(["ada@example.com", "new@example.com", "x\x00@example.com"]),
        **dict.fromkeys(PROFILE, scalar),
        "custom_fields": custom_fields,
    },
)
lead_command = st.sampled_from(["create_lead", "edit_lead", "search_lead"])
secondary = st.sampled_from(sorted(set(COMMANDS) - {"create_lead", "edit_lead", "search_lead"}))
call = st.one_of(
    st.fixed_dictionaries(
        {
            "lead": lead_fields,
            "actions": st.tuples(lead_command.map(lambda c: {"cmd": c})),
        }
    ),
    st.fixed_dictionaries(
        {
            "lead": st.sampled_from([{"id": "1"}, {"id": "2"}, {"email": "bob@example.com"}]),
            "actions": st.lists(secondary.flatmap(_action), min_size=1, max_size=4).map(tuple),
        }
    ),
)


def as_params(raw: dict[str, Any]) -> dict[str, PhpValue]:
    actions = {str(i): a for i, a in enumerate(raw["actions"])}
    return {**CREDENTIALS, "lead": raw["lead"], "actions": actions}


def assert_round_trips(backend: Backend) -> None:
    document = backend.state()
    # The file a snapshot writes, and the answer of GET /_mock/state, are UTF-8 JSON.
    reread = json.loads(encode_state(document))
    json.dumps(document, ensure_ascii=False).encode()
    assert reread == document
    assert Backend(reread, overrides=Overrides(rate_limit=0)).state() == document


@pytest.mark.slow
@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    calls=st.lists(st.tuples(call, st.integers(0, 400 * DAY)), min_size=1, max_size=8),
)
def test_any_sequence_of_calls_round_trips(calls: list[tuple[dict[str, Any], int]]) -> None:
    clock = Clock()
    backend = Backend(world(), overrides=Overrides(rate_limit=0), clock=clock)
    for raw, later in calls:
        reply = backend.handle(ApiRequest(as_params(raw)))
        assert reply.status_code == 200
        clock.now += later
    assert_round_trips(backend)


def test_a_huge_expiration_is_227_and_the_world_stays_savable() -> None:
    api = seeded()
    before = api.state()
    action = {"cmd": "give_points_to_lead", "points": "5", "expiration": "3000000"}
    assert entry(api.call({"lead": {"id": "1"}, "actions": [action]})) == error("227")
    assert api.state() == before
    assert api.http.get("/_mock/state").status_code == 200


def test_the_longest_expiration_is_kept_and_round_trips() -> None:
    api = seeded()
    days = int((LAST_MOMENT - NOW) // DAY)
    for extra, expected in [(1, "227"), (0, "105")]:
        action = {"cmd": "give_points_to_lead", "points": "5", "expiration": str(days + extra)}
        answer = entry(api.call({"lead": {"id": "1"}, "actions": [action]}))
        assert answer["type"] == expected
    (grant,) = api.state()["accounts"][0]["leads"][0]["expiring_points"]
    assert grant == {"points": 5, "expires": format_est(NOW + days * DAY)}
    assert_round_trips(api.backend)


@pytest.mark.parametrize(
    "stamp", ["9999-12-31 23:59:59", "9999-12-31 19:00:00", "0001-01-01 00:00:00"]
)
def test_stamps_at_the_ends_of_the_calendar_round_trip(stamp: str) -> None:
    document = world()
    document["accounts"][0]["leads"][0]["expiring_points"] = [{"points": 1, "expires": stamp}]
    backend = Backend(document, overrides=Overrides(rate_limit=0))
    lead: Any = backend.state()["accounts"]
    assert lead[0]["leads"][0]["expiring_points"][0]["expires"] == stamp
    assert_round_trips(backend)


@pytest.mark.parametrize("now", [LAST_MOMENT + DAY, float("inf"), float("nan"), -1e20])
def test_format_est_never_raises(now: float) -> None:
    assert parse_est(format_est(now)) is not None


def test_a_lone_surrogate_in_a_state_document_is_422_naming_the_place() -> None:
    api = Api()
    document = world()
    document["accounts"][0]["leads"][0]["first_name"] = "Ada\ud800"
    response = api.http.put("/_mock/state", content=json.dumps(document))
    assert response.status_code == 422
    assert "accounts[0].leads[0].first_name" in response.json()["error"]
    assert api.http.get("/_mock/state").status_code == 200


def test_encode_state_writes_a_lone_surrogate_escaped() -> None:
    data = encode_state({"name": "Ada\ud800", "city": "Zürich"})
    assert json.loads(data) == {"name": "Ada\ud800", "city": "Zürich"}


@pytest.mark.slow
@pytest.mark.parametrize("cmd", sorted(COMMANDS))
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_each_command_round_trips(cmd: str, data: st.DataObject) -> None:
    """The same property, one command at a time, so every command's success paths run."""
    clock = Clock()
    backend = Backend(world(), overrides=Overrides(rate_limit=0), clock=clock)
    who = {"email": "new@example.com"} if cmd == "create_lead" else {"id": "1"}
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(_action(cmd))
        lead = {**who, **data.draw(lead_fields)} if cmd in ("create_lead", "edit_lead") else who
        reply = backend.handle(ApiRequest(as_params({"lead": lead, "actions": (action,)})))
        assert reply.status_code == 200
        clock.now += data.draw(st.integers(0, 40 * DAY))
    assert_round_trips(backend)


#: One call per mutating command, each at the edge of what it accepts; all must succeed.
EDGE_CALLS: list[Any] = [
    pytest.param(
        {"email": "edge@example.com", "first_name": "a\x00b\u202e\U0001f600", "zip": "9" * 50},
        {"cmd": "create_lead"},
        id="create_lead",
    ),
    pytest.param({"id": "1", "business_type": "9" * 400}, {"cmd": "edit_lead"}, id="edit_lead"),
    pytest.param({"id": "1"}, {"cmd": "assign_tag", "tag_name": "VIP"}, id="assign_tag"),
    pytest.param({"id": "1"}, {"cmd": "give_points_to_lead", "points": "999999999"}, id="points"),
    pytest.param(
        {"id": "1"},
        {"cmd": "remove_points_from_lead", "points": "999999999"},
        id="remove_points",
    ),
    pytest.param(
        {"id": "1"},
        {"cmd": "subscribe_lead_to_sequence_at_step", "sequence_name": "Onboarding", "step": "a2"},
        id="sequence",
    ),
    pytest.param(
        {"id": "1"},
        {
            "cmd": "calendar_subscribe",
            "calendar_name": "Coaching",
            "class_name": "Monday class",
            "starting_date": "31 Dec 9999",
            "starting_hour": "23:59",
        },
        id="calendar_subscribe",
    ),
    pytest.param(
        {},
        {
            "cmd": "create_custom_field",
            "custom_field_identifier": "f" * 200,
            "custom_field_type": "checkbox",
            "custom_field_options": {str(i): {"option_name": f"o{i}\x00"} for i in range(30)},
        },
        id="create_custom_field",
    ),
    pytest.param(
        {},
        {
            "cmd": "edit_subscription",
            "subscription_id": "501",
            "subscription_next_payment_date": "9999-12-31 23:59:59",
            "subscription_amount": "9999.99",
            "subscription_product_quantity": "9999",
            "subscription_installments_left": "9999",
            "subscription_tax_percent": "100",
        },
        id="edit_subscription",
    ),
    pytest.param(
        {},
        {
            "cmd": "modify_subscription_status",
            "subscription_id": "501",
            "subscription_status_modification": "cancel",
        },
        id="modify_subscription_status",
    ),
    pytest.param({}, {"cmd": "refund_transaction", "transaction_id": "9001"}, id="refund"),
]


@pytest.mark.parametrize(("lead", "action"), EDGE_CALLS)
def test_every_command_at_its_edge_succeeds_and_round_trips(
    lead: dict[str, str], action: dict[str, Any]
) -> None:
    api = seeded()
    answer = api.call({"lead": lead, "actions": [action]} if lead else {"actions": [action]})
    assert answer["status"] == "Success", answer
    assert entry(answer)["status"] == "Success", answer
    assert api.http.get("/_mock/state").status_code == 200
    assert_round_trips(api.backend)
