"""Every error code a command of docs/behaviour.md#commands can return is provoked by some test
(docs/errors.md).

The command-family tests keep their error cases in module-level tables whose last value is
the expected code (or the expected entry); this test reads those tables, so a code that no
test provokes fails here, by number.
"""

from __future__ import annotations

from typing import Any

from kartra_mock.errors import ERROR_CLASSES
from tests.kartra_mock.server import (
    test_calendars,
    test_custom_fields,
    test_edit_subscription,
    test_points,
    test_sequences,
    test_subscriptions,
    test_transactions,
)

TABLES: list[list[Any]] = [
    test_points.CASES,
    test_sequences.CASES,
    test_calendars.SUBSCRIBE_CASES,
    test_calendars.CANCEL_CASES,
    test_custom_fields.CASES,
    test_transactions.REFUND_ERRORS,
    test_subscriptions.CANCEL_ERRORS,
    test_subscriptions.MODIFY_ERRORS,
    test_edit_subscription.ERRORS,
]

#: Codes returned before any action runs or by the lead commands and tags/lists, which
#: test_auth, test_chains, test_leads and test_get_lead provoke.
NOT_ACTION_CODES = frozenset(
    {"223", "224", "231", "233", "234", "236", "238", "239", "240", "242", "243", "244"}
    | {"245", "254", "262", "271"}
)


def provoked() -> set[str]:
    codes: set[str] = set()
    for table in TABLES:
        for case in table:
            expected = case.values[-1]
            if isinstance(expected, str):
                codes.add(expected)
            elif expected.get("status") == "Error":
                codes.add(expected["type"])
    return codes


def test_every_action_error_code_is_provoked() -> None:
    action_codes = {
        cls.type_code
        for cls in ERROR_CLASSES
        if "215" <= cls.type_code <= "290" and cls.type_code not in NOT_ACTION_CODES
    }
    assert len(action_codes) == 46
    assert sorted(action_codes - provoked()) == []
