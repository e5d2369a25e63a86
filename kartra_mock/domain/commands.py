"""``COMMANDS``: the one dispatch table of action commands, joined from one table per concept.

The lead commands (create_lead, edit_lead, search_lead) are not here: they resolve the lead a chain
acts on and are run by ``calls.py`` at ``actions[0]`` (docs/behaviour.md#leads). Every other command
of docs/behaviour.md#commands is, with its handler, whether it needs a lead, and its documented
parameters. Nothing is looked up by naming convention: a command exists if it is listed."""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.domain.actions import Command
from kartra_mock.domain.calendars import CALENDAR_COMMANDS
from kartra_mock.domain.custom_fields import CUSTOM_FIELD_COMMANDS
from kartra_mock.domain.points import POINT_COMMANDS
from kartra_mock.domain.retrievals import RETRIEVAL_COMMANDS
from kartra_mock.domain.sequences import SEQUENCE_COMMANDS
from kartra_mock.domain.subscription_edit import EDIT_SUBSCRIPTION_COMMANDS
from kartra_mock.domain.subscriptions import SUBSCRIPTION_COMMANDS
from kartra_mock.domain.tags_lists import TAG_LIST_COMMANDS
from kartra_mock.domain.transactions import TRANSACTION_COMMANDS

__all__ = ["COMMANDS"]

_TABLES: tuple[Mapping[str, Command], ...] = (
    TAG_LIST_COMMANDS,
    POINT_COMMANDS,
    SEQUENCE_COMMANDS,
    CALENDAR_COMMANDS,
    CUSTOM_FIELD_COMMANDS,
    RETRIEVAL_COMMANDS,
    TRANSACTION_COMMANDS,
    SUBSCRIPTION_COMMANDS,
    EDIT_SUBSCRIPTION_COMMANDS,
)


def _join(tables: tuple[Mapping[str, Command], ...]) -> dict[str, Command]:
    joined: dict[str, Command] = {}
    for table in tables:
        clash = joined.keys() & table.keys()
        if clash:  # pragma: no cover - a programming error, caught at import
            raise RuntimeError(f"command defined twice: {sorted(clash)}")
        joined.update(table)
    return joined


COMMANDS: Mapping[str, Command] = _join(_TABLES)
