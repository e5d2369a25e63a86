"""The dispatch table: every command of docs/behaviour.md#commands, and which of them need a
lead."""

from __future__ import annotations

from kartra_mock.domain.commands import COMMANDS
from kartra_mock.domain.leads import LEAD_COMMANDS

#: The table of docs/behaviour.md#commands: 29 commands plus the legacy get_subscriptions_from_lead.
RESEARCH_COMMANDS = {
    "create_lead": True,
    "edit_lead": True,
    "search_lead": True,
    "subscribe_lead_to_list": True,
    "unsubscribe_lead_from_list": True,
    "assign_tag": True,
    "unassign_tag": True,
    "give_points_to_lead": True,
    "remove_points_from_lead": True,
    "subscribe_lead_to_sequence_at_step": True,
    "unsubscribe_lead_from_sequence": True,
    "calendar_subscribe": True,
    "calendar_cancel": True,
    "create_custom_field": False,
    "retrieve_custom_fields": False,
    "retrieve_account_lists": False,
    "retrieve_account_tags": False,
    "retrieve_account_sequences": False,
    "retrieve_account_pages": False,
    "search_transaction": False,
    "get_transaction_details": False,
    "retrieve_transactions_from_lead": True,
    "refund_transaction": False,
    "search_subscription": False,
    "get_subscription_details": False,
    "retrieve_subscriptions_from_lead": True,
    "cancel_transaction": False,
    "modify_subscription_status": False,
    "edit_subscription": False,
    "get_subscriptions_from_lead": True,
}


def test_every_documented_command_is_dispatched() -> None:
    assert set(COMMANDS) | LEAD_COMMANDS == set(RESEARCH_COMMANDS)
    assert not set(COMMANDS) & LEAD_COMMANDS


def test_which_commands_need_a_lead() -> None:
    assert {cmd: c.needs_lead for cmd, c in COMMANDS.items()} == {
        cmd: needs for cmd, needs in RESEARCH_COMMANDS.items() if cmd not in LEAD_COMMANDS
    }


def test_only_account_retrievals_answer_flat() -> None:
    assert {cmd: c.flat_key for cmd, c in COMMANDS.items() if c.flat_key} == {
        "retrieve_custom_fields": "custom_fields",
        "retrieve_account_lists": "account_lists",
        "retrieve_account_tags": "account_tags",
        "retrieve_account_sequences": "account_sequences",
        "retrieve_account_pages": "account_pages",
    }
