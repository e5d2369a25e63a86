"""Whole-world work: the parsed initial world, copies, the lead fast path, work off the loop."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartra_mock.domain.model import Account, Lead, World
from kartra_mock.engine.backend import Backend
from kartra_mock.engine.copies import copy_account, copy_world
from kartra_mock.engine.state import DEFAULT_DOCUMENT, load_world
from kartra_mock.engine.state_checks import StateError
from kartra_mock.engine.state_leads import LeadReader, check_new_lead, load_lead
from kartra_mock.server.app import create_app
from kartra_mock.testing.asgi import AsyncASGITransport

CREDENTIALS = {"app_id": "demo-app", "api_key": "demo-key", "api_password": "demo-password"}
CREATE = {
    "app_id": "demo-app",
    "api_key": "demo-key",
    "api_password": "demo-password",
    "lead[email]": "ada@example.com",
    "actions[0][cmd]": "create_lead",
}


def _account() -> Account:
    world = load_world(DEFAULT_DOCUMENT)
    return world.accounts["demo-key"]


def test_a_copy_shares_nothing_mutable_and_misses_no_field() -> None:
    account = _account()
    account.add_lead(Lead(1, "a@example.com", tags={"Customer": None}))
    copied = copy_account(account)
    assert copied == account
    assert {f.name for f in dataclasses.fields(Account)} == {
        f.name for f in dataclasses.fields(copied)
    }
    for name in ("leads", "by_email", "tags", "lists", "custom_fields", "transactions"):
        assert getattr(copied, name) is not getattr(account, name)
    assert copied.leads[1] is not account.leads[1]
    assert copied.leads[1].tags is not account.leads[1].tags
    world = World(accounts={"demo-key": account})
    assert copy_world(world) == world


def test_reset_returns_to_the_initial_world_however_often_the_live_one_changed() -> None:
    backend = Backend()
    for _ in range(2):
        backend.seed("demo-key", "leads", {"email": "ada@example.com"})
        backend.seed("demo-key", "tags", {"name": "VIP"})
        backend.seed("other", "tags", {"name": "VIP"})
        backend.reset("demo-key")
        state: Any = backend.state()
        assert [a["api_key"] for a in state["accounts"]] == ["demo-key", "other"]
        assert (state["accounts"][0]["leads"], state["accounts"][0]["tags"]) == ([], ["Customer"])
        backend.reset()
        state = backend.state()
        assert [a["api_key"] for a in state["accounts"]] == ["demo-key"]


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 700),
    st.sampled_from(["", "x", "Customer", "Newsletter", "Nope", "hello"]),
    st.lists(st.sampled_from([612, 620, 621, 0, "620", "Customer", "Customer"]), max_size=3),
    st.dictionaries(
        st.sampled_from(["text1", "dropdown1", "checkbox1", "Newsletter", "x"]),
        st.sampled_from([612, 613, 620, [620], [621, 620], "t", True, None]),
        max_size=3,
    ),
)
_KEYS = st.sampled_from(
    [
        "id",
        "email",
        "first_name",
        "deleted",
        "score",
        "date_joined",
        "custom_fields",
        "tags",
        "lists",
        "sequences",
        "calendars",
        "expiring_points",
        "colour",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=6), st.booleans())
def test_the_fast_path_reads_a_lead_as_the_precise_reader_does(
    extra: dict[str, object], taken: bool
) -> None:
    raw: dict[str, object] = {"id": 2, "email": "b@example.com", **extra}
    fast, precise = _account(), _account()
    if taken:
        for account in (fast, precise):
            account.add_lead(Lead(2, "B@example.com"))
    try:
        expected: object = check_new_lead(load_lead(raw, "x", precise), "x", precise)
    except StateError as exc:
        expected = str(exc)
    try:
        got: object = LeadReader(fast).read(raw, lambda: "x")
    except StateError as exc:
        got = str(exc)
    assert got == expected


def test_api_answers_while_the_state_is_dumped(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = Backend(overrides=None)
    dumping, answered = threading.Event(), threading.Event()
    dump = backend.state
    seen: list[bool] = []

    def slow_dump() -> dict[str, object]:
        dumping.set()
        # The dump goes on until /api has answered: on the event loop it never would (5 s).
        seen.append(answered.wait(5))
        return dump()

    monkeypatch.setattr(backend, "state", slow_dump)

    async def scenario() -> tuple[int, bool]:
        transport = AsyncASGITransport(create_app(backend=backend))
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as http:
            task = asyncio.create_task(http.get("/_mock/state"))
            while not dumping.is_set():
                await asyncio.sleep(0.001)
            api = await http.post("/api", data=CREATE)
            answered.set()
            return (await task).status_code, "create_lead" in api.text

    assert asyncio.run(scenario()) == (200, True)
    assert seen == [True]
    backend.sender.close()


def test_a_dump_is_the_world_as_it_was_when_it_began(monkeypatch: pytest.MonkeyPatch) -> None:
    from kartra_mock.engine import dumping
    from kartra_mock.engine.backend import ApiRequest

    backend = Backend()
    for number in range(1, 6):
        backend.seed("demo-key", "leads", {"email": f"l{number}@example.com"})
    before = json.loads(json.dumps(backend.state()))
    monkeypatch.setattr(dumping, "CHUNK", 1)
    calls: list[Callable[[], object]] = [
        # Between the first two chunks: change leads not yet written, and add one.
        lambda: backend.handle(
            ApiRequest(
                {
                    **CREDENTIALS,
                    "lead": {"email": "l4@example.com", "first_name": "Changed"},
                    "actions": {
                        "0": {"cmd": "edit_lead"},
                        "1": {"cmd": "assign_tag", "tag_name": "Customer"},
                    },
                }
            )
        ),
        lambda: backend.delete_lead("demo-key", 5),
        lambda: backend.handle(
            ApiRequest(
                {
                    **CREDENTIALS,
                    "lead": {"email": "l6@example.com"},
                    "actions": {"0": {"cmd": "create_lead"}},
                }
            )
        ),
        lambda: backend.seed("demo-key", "tags", {"name": "Seeded"}),
    ]

    def between_chunks() -> None:
        while calls:
            calls.pop(0)()

    monkeypatch.setattr(dumping, "pause", between_chunks)
    assert backend.state() == before
    after: Any = backend.state()
    leads = after["accounts"][0]["leads"]
    assert (leads[3]["first_name"], leads[3]["tags"], leads[4]["deleted"]) == (
        "Changed",
        ["Customer"],
        True,
    )
    assert len(leads) == 6
    backend.sender.close()
