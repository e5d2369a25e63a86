"""Property tests over the large input spaces of docs/behaviour.md: custom-field values and
chains."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import Api

OPTIONS = {"dropdown1": {612, 613}, "checkbox1": {620, 621}}
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

option_ids = st.sampled_from(["612", "613", "620", "621", "1", "999", "abc", "-1", " 612"])
values: st.SearchStrategy[Any] = st.one_of(
    st.just(""),
    st.text(max_size=8),
    option_ids,
    st.lists(option_ids, max_size=3),
    st.dictionaries(st.sampled_from(["a", "0"]), st.text(max_size=3), max_size=2),
)
entries = st.lists(
    st.tuples(st.sampled_from(["text1", "dropdown1", "checkbox1", "unknown"]), values),
    max_size=4,
)


def expected_outcome(fields: list[tuple[str, Any]]) -> dict[str, Any] | None:
    """A naive oracle of docs/behaviour.md#leads: the stored custom fields, or None for 271."""
    stored: dict[str, Any] = {}
    for identifier, value in fields:
        if isinstance(value, (list, dict)) and not value:
            # http_build_query sends nothing for an empty array: the entry lacks field_value.
            return None
        if isinstance(value, dict):
            # A PHP map: fine only for a checkbox whose values are all option ids.
            value = list(value.values())
            if identifier not in ("checkbox1", "unknown"):
                return None
        if identifier == "unknown":
            continue
        if value == "":
            stored.pop(identifier, None)
        elif identifier == "text1":
            if isinstance(value, list):
                return None
            stored[identifier] = value
        elif identifier == "dropdown1":
            if (
                isinstance(value, list)
                or not value.isdigit()
                or int(value) not in OPTIONS[identifier]
            ):
                return None
            stored[identifier] = int(value)
        else:
            if not isinstance(value, list):
                return None
            if not all(v.isdigit() and int(v) in OPTIONS[identifier] for v in value):
                return None
            stored[identifier] = list(dict.fromkeys(int(v) for v in value))
    return stored


@SETTINGS
@given(fields=entries)
def test_custom_field_values_follow_the_documented_types(fields: list[tuple[str, Any]]) -> None:
    api = Api()
    custom = {
        str(i): {"field_identifier": identifier, "field_value": value}
        for i, (identifier, value) in enumerate(fields)
    }
    answer = api.call(
        {
            "lead": {"email": "p@example.com", "custom_fields": custom},
            "actions": [{"cmd": "create_lead"}],
        }
    )
    expected = expected_outcome(fields)
    if expected is None:
        assert answer == {"status": "Error", "message": "Wrong custom field format", "type": "271"}
        assert api.state()["accounts"][0]["leads"] == []
    else:
        assert answer["status"] == "Success", answer
        assert api.state()["accounts"][0]["leads"][0]["custom_fields"] == expected


actions = st.lists(
    st.tuples(
        st.sampled_from(
            ["assign_tag", "unassign_tag", "subscribe_lead_to_list", "unsubscribe_lead_from_list"]
        ),
        st.sampled_from(["Customer", "Newsletter", "", "Other", None]),
    ),
    min_size=1,
    max_size=6,
)
EMPTY = {
    "assign_tag": "211",
    "unassign_tag": "213",
    "subscribe_lead_to_list": "207",
    "unsubscribe_lead_from_list": "208",
}
MISSING = {
    "assign_tag": "212",
    "unassign_tag": "214",
    "subscribe_lead_to_list": "231",
    "unsubscribe_lead_from_list": "209",
}
SUCCESS = {
    "assign_tag": "103",
    "unassign_tag": "104",
    "subscribe_lead_to_list": "101",
    "unsubscribe_lead_from_list": "101",
}


@SETTINGS
@given(chain=actions, create_first=st.booleans())
def test_chains_run_every_action_independently_in_order(
    chain: list[tuple[str, str | None]], create_first: bool
) -> None:
    api = Api()
    if not create_first:
        api.create("c@example.com")
    steps: list[dict[str, str]] = [{"cmd": "create_lead"}] if create_first else []
    for cmd, name in chain:
        step = {"cmd": cmd}
        if name is not None:
            step["tag_name" if "tag" in cmd else "list_name"] = name
        steps.append(step)
    answer = api.call({"lead": {"email": "c@example.com"}, "actions": steps})
    assert answer["status"] == "Success"
    entries = answer["actions"][1:] if create_first else answer["actions"]
    assert len(entries) == len(chain)
    tags: set[str] = set()
    lists: dict[str, bool] = {}
    for (cmd, name), entry in zip(chain, entries, strict=True):
        ((key, result),) = entry.items()
        assert key == cmd
        known = "Customer" if "tag" in cmd else "Newsletter"
        if not name:
            assert result["type"] == EMPTY[cmd]
        elif name != known:
            assert result["type"] == MISSING[cmd]
        else:
            assert (result["status"], result["type"]) == ("Success", SUCCESS[cmd])
            if cmd == "assign_tag":
                tags.add(name)
            elif cmd == "unassign_tag":
                tags.discard(name)
            elif cmd == "subscribe_lead_to_list":
                lists[name] = True
            elif name in lists:
                lists[name] = False
    lead = api.state()["accounts"][0]["leads"][0]
    assert set(lead["tags"]) == tags
    assert lead["lists"] == lists
