"""The journal stays within its budget in bytes and says what it cut."""

from __future__ import annotations

import json

import pytest

from kartra_mock.engine.backend import ApiRequest, Backend, Overrides
from kartra_mock.engine.journal import MAX_ENTRY_BYTES, MAX_VALUE_CHARS, Journal, cut_marker
from kartra_mock.protocol.forms import PhpValue
from tests.helpers import DEMO, Api

HUGE = 8 * 1024 * 1024


def huge_call(backend: Backend, size: int = HUGE) -> None:
    params: dict[str, PhpValue] = {
        **DEMO,
        "lead": {"first_name": "x" * size},
        "actions": {"0": {"cmd": "create_lead"}},
    }
    backend.handle(ApiRequest(params=params))


def test_huge_calls_keep_the_journal_under_its_budget() -> None:
    budget = 4 * 1024 * 1024
    backend = Backend(overrides=Overrides(rate_limit=0), journal_bytes=budget)
    for _ in range(60):
        huge_call(backend)
    assert backend.journal_size() <= budget
    entries = backend.journal()
    assert len(entries) == 60  # cut calls are small: none of them had to go
    shown = json.dumps([entry.to_json() for entry in entries])
    assert len(shown) < budget


def test_a_cut_value_ends_with_a_marker_saying_how_much_was_cut() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    huge_call(backend, 100_000)
    (entry,) = backend.journal()
    lead = entry.params["lead"]
    assert isinstance(lead, dict)
    name = lead["first_name"]
    assert isinstance(name, str)
    marker = cut_marker(100_000 - MAX_VALUE_CHARS, 100_000)
    assert name == "x" * MAX_VALUE_CHARS + marker
    assert "cut 83616 of 100000 characters" in marker


def test_a_huge_key_and_warning_are_cut_too() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    key = "k" * 100_000
    backend.handle(ApiRequest(params={**DEMO, "lead": {key: "v", "email": "a@b.c"}}))
    (entry,) = backend.journal()
    text = json.dumps(entry.to_json())
    assert len(text) < 5 * MAX_VALUE_CHARS
    assert "cut" in text


def test_the_oldest_calls_go_once_the_budget_is_spent() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0), journal_bytes=100_000)
    for _ in range(20):
        huge_call(backend, 50_000)
    entries = backend.journal()
    assert 1 <= len(entries) < 20
    assert entries[-1].seq == 20
    assert backend.journal_size() <= 100_000


def test_clearing_one_account_gives_its_bytes_back() -> None:
    journal_owner = Backend(overrides=Overrides(rate_limit=0))
    huge_call(journal_owner, 1000)
    journal_owner.clear_journal("demo-key")
    assert journal_owner.journal_size() == 0


def test_the_journal_over_http_stays_small() -> None:
    api = Api()
    for _ in range(5):
        # Just under PHP's post_max_size, so the body is decoded, as in the report.
        api.post({"lead": {"first_name": "x" * (HUGE - 1024)}, "actions": [{"cmd": "nope"}]})
    body = api.http.get("/_mock/requests").content
    api.close()
    assert len(body) < 5 * 2 * MAX_VALUE_CHARS
    assert b"kartra-mock cut " in body


def test_a_journal_needs_room() -> None:
    with pytest.raises(ValueError, match="at least one call"):
        Journal(0)


def test_one_call_keeps_at_most_its_share_however_many_values_it_has() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    fields: dict[str, PhpValue] = {f"f{i}": "x" * MAX_VALUE_CHARS for i in range(200)}
    backend.handle(ApiRequest(params={**DEMO, "lead": fields}))
    size = backend.journal_size()
    assert MAX_ENTRY_BYTES <= size < MAX_ENTRY_BYTES + 200 * 100
    (entry,) = backend.journal()
    lead = entry.params["lead"]
    assert isinstance(lead, dict)
    assert lead["f199"] == cut_marker(MAX_VALUE_CHARS, MAX_VALUE_CHARS)
