"""Account retrievals: the names of the account's tags, lists, sequences and pages.

docs/behaviour.md#account-retrievals: documented as flat top-level keys (``account_tags`` …), names
only, no pagination. ``retrieve_account_pages``'s page could not be read: its ``account_pages`` key
is our placeholder (docs/behaviour.md#retrieve_account_pages, inferred)."""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.domain.actions import ActionContext, Command, Entry

__all__ = ["RETRIEVAL_COMMANDS"]


def _tags(ctx: ActionContext) -> Entry:
    return {"status": "Success", "account_tags": list(ctx.account.tags)}


def _lists(ctx: ActionContext) -> Entry:
    return {"status": "Success", "account_lists": list(ctx.account.lists)}


def _sequences(ctx: ActionContext) -> Entry:
    return {"status": "Success", "account_sequences": list(ctx.account.sequences)}


def _pages(ctx: ActionContext) -> Entry:
    return {"status": "Success", "account_pages": list(ctx.account.pages)}


_NONE: frozenset[str] = frozenset()

RETRIEVAL_COMMANDS: Mapping[str, Command] = {
    "retrieve_account_tags": Command(_tags, False, _NONE, "account_tags"),
    "retrieve_account_lists": Command(_lists, False, _NONE, "account_lists"),
    "retrieve_account_sequences": Command(_sequences, False, _NONE, "account_sequences"),
    "retrieve_account_pages": Command(_pages, False, _NONE, "account_pages"),
}
