"""What the new commands send, without a server: the chain builder's parameters and bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from kartra_mock.client import ChainBuilder, http_build_query
from kartra_mock.client.commands import act, on_lead
from kartra_mock.client.dates import calendar_date, calendar_hour, payment_date


def test_lead_actions_send_kartras_parameters() -> None:
    chain = (
        ChainBuilder({"email": "ada@example.com"})
        .give_points_to_lead(10)
        .give_points_to_lead(5, expiration=30)
        .remove_points_from_lead(3)
        .subscribe_lead_to_sequence_at_step("Welcome", 2)
        .unsubscribe_lead_from_sequence("Welcome")
        .calendar_subscribe("Coaching", "Monday class")
        .calendar_subscribe(
            "Coaching", "Friday class", starting_date=date(2025, 1, 6), starting_hour=time(9, 5)
        )
        .calendar_cancel("Coaching", "Monday class")
    )
    assert chain.params()["actions"] == [
        {"cmd": "give_points_to_lead", "points": 10},  # no expiration: not sent at all
        {"cmd": "give_points_to_lead", "points": 5, "expiration": 30},
        {"cmd": "remove_points_from_lead", "points": 3},
        {"cmd": "subscribe_lead_to_sequence_at_step", "sequence_name": "Welcome", "step": 2},
        {"cmd": "unsubscribe_lead_from_sequence", "sequence_name": "Welcome"},
        {"cmd": "calendar_subscribe", "calendar_name": "Coaching", "class_name": "Monday class"},
        {
            "cmd": "calendar_subscribe",
            "calendar_name": "Coaching",
            "class_name": "Friday class",
            "starting_date": "06 Jan 2025",
            "starting_hour": "09:05",
        },
        {"cmd": "calendar_cancel", "calendar_name": "Coaching", "class_name": "Monday class"},
    ]


def test_create_custom_field_sends_option_names_as_kartras_example() -> None:
    """docs/behaviour.md#create_custom_field's example request, byte for byte (its identifier has a
    space)."""
    chain = ChainBuilder().create_custom_field("Custom field name", "drop_down", ["blue", "brown"])
    assert http_build_query(chain.params()) == http_build_query(
        {
            "actions": [
                {
                    "cmd": "create_custom_field",
                    "custom_field_identifier": "Custom field name",
                    "custom_field_type": "drop_down",
                    "custom_field_options": [{"option_name": "blue"}, {"option_name": "brown"}],
                }
            ]
        }
    )
    text = ChainBuilder().create_custom_field("notes2", "text_area").params()
    assert text["actions"] == [
        {
            "cmd": "create_custom_field",
            "custom_field_identifier": "notes2",
            "custom_field_type": "text_area",
        }
    ]


def test_commerce_commands_send_kartras_parameters() -> None:
    chain = (
        ChainBuilder()
        .search_transaction(738474)
        .get_transaction_details("99432")
        .refund_transaction(738474, Decimal("19.95"))
        .refund_transaction(738474)
        .search_subscription(993037)
        .get_subscription_details(993037)
        .cancel_transaction(transaction_id=234161)
        .cancel_transaction(transaction_internal_subscription_id="14833")
        .modify_subscription_status(993037, "pause")
    )
    assert chain.params() == {
        "actions": [
            {"cmd": "search_transaction", "transaction_id": 738474},
            {"cmd": "get_transaction_details", "transaction_id": "99432"},
            {"cmd": "refund_transaction", "transaction_id": 738474, "refund_amount": "19.95"},
            {"cmd": "refund_transaction", "transaction_id": 738474},
            {"cmd": "search_subscription", "subscription_id": 993037},
            {"cmd": "get_subscription_details", "subscription_id": 993037},
            {"cmd": "cancel_transaction", "transaction_id": 234161},
            {"cmd": "cancel_transaction", "transaction_internal_subscription_id": "14833"},
            {
                "cmd": "modify_subscription_status",
                "subscription_id": 993037,
                "subscription_status_modification": "pause",
            },
        ]
    }


def test_edit_subscription_nests_the_recurrence_and_formats_the_date() -> None:
    chain = ChainBuilder().edit_subscription(
        993037,
        subscription_product_id=12,
        subscription_price_point=3,
        subscription_next_payment_date=datetime(2021, 1, 18, 10, 46, tzinfo=UTC),
        subscription_amount=Decimal("1E+1"),
        recurring_period_1="monthly",
        recurring_period_2="yearly",
        subscription_product_quantity=2,
        subscription_installments_left="until cancelled",
        subscription_tax_percent=7.5,
    )
    assert chain.params()["actions"] == [
        {
            "cmd": "edit_subscription",
            "subscription_id": 993037,
            "subscription_product_id": 12,
            "subscription_price_point": 3,
            "subscription_next_payment_date": "2021-01-18 05:46",  # 10:46 UTC is 05:46 EST
            "subscription_amount": "10",  # a Decimal is written out, never in E notation
            "subscription_recurrence": {
                "recurring_period_1": "monthly",
                "recurring_period_2": "yearly",
            },
            "subscription_product_quantity": 2,
            "subscription_installments_left": "until cancelled",
            "subscription_tax_percent": 7.5,
        }
    ]
    only_date = ChainBuilder().edit_subscription(
        1, subscription_next_payment_date="2021-01-18 05:46:00"
    )
    assert only_date.params()["actions"] == [
        {
            "cmd": "edit_subscription",
            "subscription_id": 1,
            "subscription_next_payment_date": "2021-01-18 05:46:00",
        }
    ]


def test_a_lead_scoped_one_action_call_carries_the_lead() -> None:
    operation = act(on_lead(None, "bob@example.com").retrieve_subscriptions_from_lead())
    assert operation.params == {
        "lead": {"email": "bob@example.com"},
        "actions": [{"cmd": "retrieve_subscriptions_from_lead"}],
    }
    assert operation.label == "retrieve_subscriptions_from_lead"


def test_what_the_client_refuses_before_sending() -> None:
    with pytest.raises(ValueError, match="name the subscription"):
        ChainBuilder().cancel_transaction()
    with pytest.raises(TypeError, match="unexpected keyword argument 'subscription_ammount'"):
        ChainBuilder().edit_subscription(1, **{"subscription_ammount": 5})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one action, not 2"):
        act(ChainBuilder().search_transaction(1).search_subscription(1))


def test_kartras_date_formats() -> None:
    assert calendar_date(date(2019, 1, 16)) == "16 Jan 2019"
    assert calendar_date(datetime(2019, 12, 1, 2, 0, tzinfo=UTC)) == "30 Nov 2019"  # EST
    assert calendar_date("16 jan 2019") == "16 jan 2019"  # a string is sent as given
    assert calendar_hour(time(15, 0)) == "15:00"
    assert calendar_hour(datetime(2019, 1, 16, 15, 7)) == "15:07"  # naive: EST already
    assert payment_date(datetime(2021, 1, 18, 5, 46, 59)) == "2021-01-18 05:46"
