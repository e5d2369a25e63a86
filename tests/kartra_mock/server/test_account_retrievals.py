"""Account retrievals: tags, lists, sequences, pages (docs/behaviour.md#account-retrievals), flat at
the top level."""

from __future__ import annotations

import pytest

from tests.helpers import Api
from tests.kartra_mock.server.worlds import entry, seeded


@pytest.mark.parametrize(
    ("cmd", "key", "names"),
    [
        ("retrieve_account_tags", "account_tags", ["Customer", "VIP"]),
        ("retrieve_account_lists", "account_lists", ["Newsletter"]),
        ("retrieve_account_sequences", "account_sequences", ["Welcome", "Onboarding"]),
        ("retrieve_account_pages", "account_pages", ["Sales page", "Thank you page"]),
    ],
)
def test_alone_they_answer_flat(cmd: str, key: str, names: list[str]) -> None:
    assert seeded().call({"actions": [{"cmd": cmd}]}) == {"status": "Success", key: names}


def test_an_account_without_pages_retrieves_an_empty_list() -> None:
    assert Api().call({"actions": [{"cmd": "retrieve_account_pages"}]}) == {
        "status": "Success",
        "account_pages": [],
    }


def test_chained_with_a_lead_action_they_answer_in_their_entry_and_at_the_top() -> None:
    answer = seeded().call(
        {
            "lead": {"email": "ada@example.com"},
            "actions": [
                {"cmd": "assign_tag", "tag_name": "VIP"},
                {"cmd": "retrieve_account_pages"},
            ],
        }
    )
    assert entry(answer, 0)["type"] == "103"
    assert entry(answer, 1) == {
        "status": "Success",
        "account_pages": ["Sales page", "Thank you page"],
    }
    assert answer["account_pages"] == ["Sales page", "Thank you page"]


def test_several_retrievals_in_one_call_answer_flat_together() -> None:
    answer = seeded().call(
        {"actions": [{"cmd": "retrieve_account_tags"}, {"cmd": "retrieve_account_pages"}]}
    )
    assert answer == {
        "status": "Success",
        "account_tags": ["Customer", "VIP"],
        "account_pages": ["Sales page", "Thank you page"],
    }
