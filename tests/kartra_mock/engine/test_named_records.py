"""Sequences and calendars are kept by name: a name taken twice is refused, with the reason,
in a template (docs/control-plane.md#the-state-document) and when seeding one item."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from kartra_mock.engine.seeding import SeedKind, seed
from kartra_mock.engine.state import DEFAULT_DOCUMENT, StateError, load_world

NAMED: list[tuple[SeedKind, str, dict[str, Any]]] = [
    ("sequences", "sequence", {"name": "Welcome", "steps": ["1"]}),
    ("calendars", "calendar", {"name": "Coaching", "classes": ["Monday"]}),
]


@pytest.mark.parametrize(("kind", "what", "item"), NAMED)
def test_a_template_naming_one_twice_is_refused(
    kind: SeedKind, what: str, item: dict[str, Any]
) -> None:
    document = copy.deepcopy(DEFAULT_DOCUMENT)
    document["template"] = {kind: [item, item]}
    with pytest.raises(StateError, match=re.escape(f"template.{kind}: duplicate {what} name")):
        load_world(document)


@pytest.mark.parametrize(("kind", "what", "item"), NAMED)
def test_seeding_a_taken_name_is_refused_and_changes_nothing(
    kind: SeedKind, what: str, item: dict[str, Any]
) -> None:
    world = load_world(DEFAULT_DOCUMENT)
    assert seed(world, "demo-key", kind, item) == {"name": item["name"]}
    account = world.accounts["demo-key"]
    before = dict(getattr(account, kind))
    reason = f"{what}.name: the account already has a {what} {item['name']!r}"
    with pytest.raises(StateError, match=re.escape(reason)):
        seed(world, "demo-key", kind, item)
    assert getattr(account, kind) == before
