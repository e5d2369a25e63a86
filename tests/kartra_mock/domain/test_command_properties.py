"""Properties of every action command over generated parameters (domain level, no HTTP).

Whatever an action is given: the answer is Kartra's envelope with one entry per action, an
error entry means that action changed nothing, and the world still round-trips through the
state document.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartra_mock.domain.auth import CallContext
from kartra_mock.domain.calls import run_call
from kartra_mock.domain.commands import COMMANDS
from kartra_mock.engine.state import dump_world, load_world
from kartra_mock.protocol.forms import PhpValue
from tests.kartra_mock.server.worlds import NOW, world

CREDENTIALS = {"app_id": "a", "api_key": "demo-key", "api_password": "demo-password"}
#: Values that hit the interesting branches: ids of seeded records, names, dates, amounts.
VALUES = [
    "",
    "0",
    "1",
    "2",
    "-1",
    "1.5",
    "abc",
    "49.00",
    "19.95",
    "10000",
    "9001",
    "9003",
    "9010",
    "501",
    "502",
    "505",
    "12",
    "Welcome",
    "Coaching",
    "Monday class",
    "Draft",
    "VIP",
    "Newsletter",
    "drop_down",
    "checkbox",
    "input_field",
    "new_field",
    "pause",
    "cancel",
    "unpause",
    "until cancelled",
    "16 Jan 2030",
    "15:00",
    "2030-01-01 10:00",
    "monthly",
    "yearly",
]
value: st.SearchStrategy[PhpValue] = st.recursive(
    st.sampled_from(VALUES) | st.text(max_size=8),
    lambda inner: st.dictionaries(
        st.sampled_from(["0", "1", "option_name", "recurring_period_1", "recurring_period_2"]),
        inner,
        max_size=3,
    ),
    max_leaves=6,
)


#: Per parameter, values that name seeded records or are valid, so success paths run too.
PLAUSIBLE: dict[str, list[PhpValue]] = {
    "tag_name": ["VIP", "Customer"],
    "list_name": ["Newsletter"],
    "points": ["5", "12"],
    "expiration": ["0", "3"],
    "sequence_name": ["Welcome", "Onboarding"],
    "step": ["1", "2", "a2"],
    "calendar_name": ["Coaching"],
    "class_name": ["Monday class", "Friday class"],
    "starting_date": ["16 Jan 2030"],
    "starting_hour": ["15:00"],
    "custom_field_identifier": ["new_field", "other-field"],
    "custom_field_type": ["drop_down", "checkbox", "input_field"],
    "custom_field_options": [{"0": {"option_name": "a"}, "1": {"option_name": "b"}}],
    "transaction_id": ["9001", "9003", "9004", "9010", "9011"],
    "refund_amount": ["1", "49.00"],
    "subscription_id": ["501", "502", "503", "505", "506"],
    "transaction_internal_subscription_id": ["501", "505"],
    "subscription_status_modification": ["pause", "cancel", "unpause"],
    "subscription_product_id": ["12"],
    "subscription_price_point": ["1", "2", "3"],
    "subscription_next_payment_date": ["2030-01-01 10:00"],
    "subscription_amount": ["29.99"],
    "subscription_recurrence": [{"recurring_period_1": "monthly"}],
    "subscription_product_quantity": ["2"],
    "subscription_installments_left": ["5", "until cancelled"],
    "subscription_tax_percent": ["7.5"],
}


def _value(name: str) -> st.SearchStrategy[PhpValue]:
    plausible = st.sampled_from(PLAUSIBLE.get(name, [""]))
    return plausible | plausible | value


def _action(cmd: str) -> st.SearchStrategy[dict[str, PhpValue]]:
    """The command with most of its own parameters (sometimes one it does not have)."""
    names = sorted(COMMANDS[cmd].params | {"colour"})
    optional = {name: st.none() | _value(name) | _value(name) for name in names}
    return st.fixed_dictionaries(optional).map(
        lambda params: {"cmd": cmd, **{k: v for k, v in params.items() if v is not None}}
    )


action = st.sampled_from(sorted(COMMANDS)).flatmap(_action)
lead = st.sampled_from(
    [{}, {"id": "1"}, {"id": "2"}, {"id": "1"}, {"id": "3"}, {"email": "ada@example.com"}]
)


def snapshot(document: Any) -> Any:
    return dump_world(load_world(document))


@pytest.mark.slow
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(actions=st.lists(action, min_size=1, max_size=3), who=lead)
def test_actions_answer_in_shape_and_errors_change_nothing(
    actions: list[dict[str, PhpValue]], who: dict[str, PhpValue]
) -> None:
    live = load_world(world())
    before = dump_world(live)
    params: dict[str, PhpValue] = {
        **CREDENTIALS,
        "actions": {str(i): a for i, a in enumerate(actions)},
    }
    if who:
        params["lead"] = who
    body = run_call(live, params, CallContext(), NOW)[0]
    assert body["status"] in ("Success", "Error")
    after = dump_world(live)
    if body["status"] == "Error":
        assert set(body) == {"status", "message", "type"}
        assert after == before
    else:
        entries = body.get("actions")
        if entries is not None:
            assert isinstance(entries, list)
            assert [next(iter(e)) for e in entries] == [a["cmd"] for a in actions]
            inner = [next(iter(e.values())) for e in entries]
            if all(i["status"] == "Error" for i in inner):
                assert after == before
            assert all(i["status"] in ("Success", "Error") for i in inner)
    # Whatever happened, the world is still a valid state document.
    assert snapshot(after) == after
