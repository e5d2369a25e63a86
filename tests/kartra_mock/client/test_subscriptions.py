"""Recurring subscriptions round-trip through the mock (docs/behaviour.md#payments).

The "shop" world's subscriptions (tests/kartra_mock/server/worlds.py): 501 Ada's, Active,
monthly 19.95 (its sale is transaction 9003); 502 Ada's, Paused, on installments; 503 Bob's,
Cancelled; 504 Bob's, Terminated; 505 Bob's on PayPal; 506 Bob's, whose cancellation the
processor refuses (sold by 9011). The clock stands at 2024-06-01 12:00:00 EST.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from kartra_mock import errors
from kartra_mock.client import (
    ActionResult,
    CancellationResult,
    LegacySubscription,
    SubscriptionDetails,
    SubscriptionSummary,
)
from tests.kartra_mock.client import AnyClient, Connector, settle

pytestmark = pytest.mark.anyio

MODIFIED = ("Subscription modified", "115")


async def test_search_and_details(kartra: Connector) -> None:
    client = kartra.client("shop")
    assert await settle(client.search_subscription(501)) == ActionResult(
        "search_subscription", "Success", "Subscription exists", ""
    )
    assert await settle(client.get_subscription_details("501")) == SubscriptionDetails(
        subscription_id="501",
        subscription_product_id="12",
        subscription_price_point="1",
        subscription_lead_id="1",
        subscription_start_date="2024-05-20 09:00:00",
        subscription_end_date="0000-00-00 00:00:00",
        subscription_current_installment="1",
        subscription_installments_left="Until cancelled",
        subscription_recurring_period="monthly",
        subscription_status="Active",
        subscription_next_payment_date="2024-06-20 09:00:00",
        subscription_next_scheduled_payment_amount="19.95",
        subscription_affiliate="aff1",
        subscription_jv="N/A",
    )


async def test_a_leads_subscriptions_current_and_legacy(kartra: Connector) -> None:
    client = kartra.client("shop")
    bob = "bob@example.com"
    statuses = ("Cancelled", "Terminated", "Active", "Active")
    assert await settle(client.retrieve_subscriptions_from_lead(id=2)) == tuple(
        SubscriptionSummary(str(number), "2", bob, status)
        for number, status in zip(range(503, 507), statuses, strict=True)
    )
    legacy = await settle(client.get_subscriptions_from_lead(email=bob))
    assert legacy[2] == LegacySubscription("505", "I-EV375R0H61SM", "Active", "2", bob)
    assert [item.transaction_internal_subscription_id for item in legacy] == [
        "503",
        "504",
        "505",
        "506",
    ]


async def test_cancel_through_a_transaction_or_the_subscription(kartra: Connector) -> None:
    client = kartra.client("shop")
    assert await settle(client.cancel_transaction(transaction_id=9003)) == CancellationResult(
        "501", ""
    )
    details = await settle(client.get_subscription_details(501))
    assert (details.subscription_status, details.subscription_end_date) == (
        "Cancelled",
        "2024-06-01 12:00:00",
    )
    with pytest.raises(errors.SubscriptionAlreadyCancelled):
        await settle(client.cancel_transaction(transaction_internal_subscription_id=501))
    paypal = await settle(client.cancel_transaction(transaction_internal_subscription_id="505"))
    assert paypal == CancellationResult("505", "I-EV375R0H61SM")


async def test_modify_subscription_status(kartra: Connector) -> None:
    client = kartra.client("shop")
    resumed = await settle(client.modify_subscription_status(502, "unpause"))
    assert (resumed.message, resumed.type_code) == MODIFIED
    assert (await settle(client.get_subscription_details(502))).subscription_status == "Active"
    await settle(client.modify_subscription_status("501", "pause"))
    paused = await settle(client.get_subscription_details(501))
    assert (paused.subscription_status, paused.subscription_next_scheduled_payment_amount) == (
        "Paused",
        "N/A",
    )
    await settle(client.modify_subscription_status(501, "cancel"))
    assert (await settle(client.get_subscription_details(501))).subscription_status == "Cancelled"


async def test_edit_subscription(kartra: Connector) -> None:
    client = kartra.client("shop")
    edited = await settle(
        client.edit_subscription(
            501,
            subscription_next_payment_date=datetime(2024, 7, 1, 9, 30),
            subscription_amount=Decimal("24.50"),
            recurring_period_1="quarterly",
            subscription_installments_left=6,
            subscription_product_quantity=2,
            subscription_tax_percent=Decimal("7.5"),
        )
    )
    assert (edited.message, edited.type_code) == MODIFIED
    details = await settle(client.get_subscription_details(501))
    assert (
        details.subscription_next_payment_date,
        details.subscription_next_scheduled_payment_amount,
        details.subscription_recurring_period,
        details.subscription_installments_left,
    ) == ("2024-07-01 09:30:00", "24.50", "quarterly", "6")
    # A new plan, a recurring-installments one, takes a second period.
    await settle(
        client.edit_subscription(
            501,
            subscription_product_id=12,
            subscription_price_point=3,
            recurring_period_2="every 2 years",
        )
    )
    details = await settle(client.get_subscription_details(501))
    assert (details.subscription_price_point, details.subscription_recurring_period) == (
        "3",
        "monthly",
    )


def case(name: str, send: Callable[[AnyClient], Any], error: type[errors.KartraError]) -> Any:
    """One typed error case, with a readable id."""
    return pytest.param(send, error, id=name)


@pytest.mark.parametrize(
    ("send", "error"),
    [
        case("search", lambda c: c.search_subscription(1), errors.SubscriptionNotFound),
        case("details", lambda c: c.get_subscription_details(1), errors.SubscriptionNotFound),
        case(
            "list-no-lead",
            lambda c: c.retrieve_subscriptions_from_lead(id=404),
            errors.LeadNotFound,
        ),
        case("legacy-deleted", lambda c: c.get_subscriptions_from_lead(id=3), errors.LeadDeleted),
        case(
            "cancel-unlinked",
            lambda c: c.cancel_transaction(transaction_id=9001),
            errors.TransactionNotLinked,
        ),
        case(
            "cancel-a-refund",
            lambda c: c.cancel_transaction(transaction_id=9005),
            errors.NotRefundable,
        ),
        case(
            "cancel-terminated",
            lambda c: c.cancel_transaction(transaction_id=9009),
            errors.NotRefundable,
        ),
        case(
            "cancel-cancelled",
            lambda c: c.cancel_transaction(transaction_internal_subscription_id=503),
            errors.SubscriptionAlreadyCancelled,
        ),
        case(
            "cancel-processor",
            lambda c: c.cancel_transaction(transaction_id=9011),
            errors.CancellationFailed,
        ),
        case(
            "cancel-unknown",
            lambda c: c.cancel_transaction(transaction_internal_subscription_id=9),
            errors.SubscriptionNotFound,
        ),
        case(
            "modify-unknown",
            lambda c: c.modify_subscription_status(9, "pause"),
            errors.SubscriptionNotFound,
        ),
        case(
            "modify-paypal",
            lambda c: c.modify_subscription_status(505, "pause"),
            errors.PaypalNotModifiable,
        ),
        case(
            "modify-ended",
            lambda c: c.modify_subscription_status(504, "unpause"),
            errors.SubscriptionNotUpdatable,
        ),
        case(
            "modify-cancelled",
            lambda c: c.modify_subscription_status(503, "cancel"),
            errors.SubscriptionAlreadyCancelled,
        ),
        case(
            "modify-processor",
            lambda c: c.modify_subscription_status(506, "cancel"),
            errors.CancellationFailed,
        ),
        case("edit-nothing", lambda c: c.edit_subscription(501), errors.NoEditableParameters),
        case(
            "edit-unknown",
            lambda c: c.edit_subscription(9, subscription_amount=5),
            errors.SubscriptionNotFound,
        ),
        case(
            "edit-paypal",
            lambda c: c.edit_subscription(505, subscription_amount=5),
            errors.PaypalNotModifiable,
        ),
        case(
            "edit-cancelled",
            lambda c: c.edit_subscription(503, subscription_amount=5),
            errors.SubscriptionNotUpdatable,
        ),
        case(
            "edit-half-a-plan",
            lambda c: c.edit_subscription(501, subscription_product_id=12),
            errors.WrongProductOrPricePoint,
        ),
        case(
            "edit-date-format",
            lambda c: c.edit_subscription(501, subscription_next_payment_date="1 Jul 2024"),
            errors.InvalidDateFormat,
        ),
        case(
            "edit-date-past",
            lambda c: c.edit_subscription(
                501, subscription_next_payment_date=datetime(2024, 5, 1, 9, 0)
            ),
            errors.DateInPast,
        ),
        case(
            "edit-amount",
            lambda c: c.edit_subscription(501, subscription_amount=Decimal("0.50")),
            errors.PriceOutOfRange,
        ),
        case(
            "edit-second-period",
            lambda c: c.edit_subscription(501, recurring_period_2="yearly"),
            errors.RecurrenceNotChangeable,
        ),
        case(
            "edit-quantity",
            lambda c: c.edit_subscription(501, subscription_product_quantity=10_000),
            errors.QuantityOutOfRange,
        ),
        case(
            "edit-installments",
            lambda c: c.edit_subscription(502, subscription_installments_left="until cancelled"),
            errors.IncorrectInstallments,
        ),
        case(
            "edit-tax",
            lambda c: c.edit_subscription(501, subscription_tax_percent=101),
            errors.TaxOutOfRange,
        ),
    ],
)
async def test_a_refused_subscription_call_raises_its_catalogue_class(
    kartra: Connector, send: Callable[[AnyClient], Any], error: type[errors.KartraError]
) -> None:
    client = kartra.client("shop")
    before = await settle(client.get_subscription_details(501))
    with pytest.raises(error):
        await settle(send(client))
    assert await settle(client.get_subscription_details(501)) == before  # nothing changed


async def test_a_status_the_typed_method_cannot_send_goes_through_the_chain(
    kartra: Connector,
) -> None:
    """``subscription_status_modification`` is a ``Literal``; ``action`` sends anything (274)."""
    chain = (
        kartra.client("shop")
        .chain()
        .action(
            "modify_subscription_status",
            subscription_id=501,
            subscription_status_modification="stop",
        )
    )
    result = await settle(chain.send())
    assert isinstance(result.failed[0].error, errors.WrongStatus)


async def test_subscriptions_in_a_chain(kartra: Connector) -> None:
    result = await settle(
        kartra.client("shop")
        .chain(id=2)
        .retrieve_subscriptions_from_lead()
        .get_subscriptions_from_lead()
        .modify_subscription_status(505, "cancel")
        .edit_subscription(506, subscription_amount="30")
        .send()
    )
    assert [(a.cmd, a.type_code) for a in result.actions] == [
        ("retrieve_subscriptions_from_lead", ""),
        ("get_subscriptions_from_lead", ""),
        ("modify_subscription_status", "115"),
        ("edit_subscription", "115"),
    ]
    assert result.ok
