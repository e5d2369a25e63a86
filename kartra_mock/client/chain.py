"""What each call sends: the chain builder, one method per Kartra command.

Every method adds one action to a chain and returns the chain, so calls read as
``chain.assign_tag("VIP").give_points_to_lead(10)``. Arguments are named as Kartra names its
parameters (docs/behaviour.md#commands); a ``None`` argument is not sent at all. The clients'
one-action methods are chains of one (docs/behaviour.md#chains), so each command's parameters are
written here only. Ids may be given as ``int`` or ``str``; amounts as ``Decimal``, ``float``,
``int`` or ``str`` (a ``Decimal`` is sent as written, never through a float).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal, Self, TypedDict, Unpack

from kartra_mock.client.core import Operation
from kartra_mock.client.dates import calendar_date, calendar_hour, payment_date
from kartra_mock.client.encoding import Params, lead_params
from kartra_mock.client.parsing import LEAD_COMMANDS, parse_chain
from kartra_mock.client.results import ChainResult

__all__ = [
    "ChainBuilder",
    "CustomFieldType",
    "Money",
    "RecurringPeriod",
    "StatusModification",
    "SubscriptionChanges",
]

#: The five types create_custom_field accepts (docs/behaviour.md#create_custom_field, documented).
CustomFieldType = Literal["input_field", "text_area", "drop_down", "radio_button", "checkbox"]
#: An amount of money, as the client accepts it.
Money = Decimal | float | int | str
#: subscription_recurrence's periods (docs/behaviour.md#edit_subscription, documented; which
#: ones a price point takes depends on its type, and Kartra checks that).
RecurringPeriod = Literal[
    "monthly", "every 2 months", "quarterly", "yearly", "every 2 years", "weekly", "every 2 weeks"
]
#: modify_subscription_status' ``subscription_status_modification`` (documented).
StatusModification = Literal["cancel", "pause", "unpause"]


class SubscriptionChanges(TypedDict, total=False):
    """What edit_subscription may change, each optional (docs/behaviour.md#edit_subscription).

    The keyword arguments of every ``edit_subscription`` method; a ``None`` is not sent.
    """

    subscription_product_id: str | int | None
    subscription_price_point: str | int | None
    subscription_next_payment_date: datetime | str | None
    subscription_amount: Money | None
    recurring_period_1: RecurringPeriod | None
    recurring_period_2: RecurringPeriod | None
    subscription_product_quantity: int | None
    subscription_installments_left: int | Literal["until cancelled"] | None
    subscription_tax_percent: Money | None


def _money(value: Money | None) -> float | int | str | None:
    return format(value, "f") if isinstance(value, Decimal) else value


class ChainBuilder:
    """Builds one call of several actions on one lead; the lead command always goes first.

    Kartra runs ``actions[0]`` to find or create the lead, then each further action on it
    (docs/behaviour.md#lead-command-first).
    Add actions in any order; ``create_lead``/``edit_lead``/``search_lead`` is moved to
    ``actions[0]``, and a chain holds at most one of them. Only the lead-scoped commerce
    commands (``retrieve_transactions_from_lead``, ``retrieve_subscriptions_from_lead``,
    ``get_subscriptions_from_lead``) use the chain's lead.
    """

    def __init__(self, lead: Params | None = None) -> None:
        self._lead = dict(lead) if lead is not None else None
        self._lead_cmd: str | None = None
        self._actions: list[dict[str, object]] = []

    def action(self, cmd: str, **params: object) -> Self:
        """Add any action with its parameters: ``action("give_points_to_lead", points=5)``.

        A parameter given as ``None`` is left out, as PHP's ``http_build_query`` leaves it.
        """
        params = {key: value for key, value in params.items() if value is not None}
        if cmd in LEAD_COMMANDS:
            if params:
                raise ValueError(f"{cmd} takes its fields from the chain's lead, not parameters")
            if self._lead_cmd is not None:
                raise ValueError(f"a chain has one lead command; it already has {self._lead_cmd}")
            self._lead_cmd = cmd
        else:
            self._actions.append({"cmd": cmd, **params})
        return self

    @property
    def cmds(self) -> tuple[str, ...]:
        """The commands, in the order they will be sent."""
        first = (self._lead_cmd,) if self._lead_cmd is not None else ()
        return first + tuple(str(action["cmd"]) for action in self._actions)

    def params(self) -> dict[str, object]:
        """The call's parameters, without credentials."""
        if not self.cmds:
            raise ValueError("an empty chain: add at least one action before sending")
        actions = [{"cmd": self._lead_cmd}] if self._lead_cmd is not None else []
        params: dict[str, object] = {}
        if self._lead is not None:
            params["lead"] = lead_params(self._lead)
        params["actions"] = [*actions, *self._actions]
        return params

    def operation(self, raise_on_action_error: bool) -> Operation[ChainResult]:
        """The call as an operation for the core."""
        cmds = self.cmds

        def parse(body: Mapping[str, object]) -> ChainResult:
            result = parse_chain(body, cmds)
            if raise_on_action_error:
                result.raise_for_action_errors()
            return result

        return Operation(self.params(), parse, "+".join(cmds))

    # The lead commands.

    def create_lead(self) -> Self:
        """Create the chain's lead (``lead[email]`` required); it goes to ``actions[0]``."""
        return self.action("create_lead")

    def edit_lead(self) -> Self:
        """Edit the chain's lead, found by ``id`` or ``email``; ``new_email`` changes the email."""
        return self.action("edit_lead")

    def search_lead(self) -> Self:
        """Find the chain's lead by ``id`` or ``email``; it goes to ``actions[0]``."""
        return self.action("search_lead")

    # Lead actions (tags, lists, points, sequences, calendars) and account actions.

    def assign_tag(self, tag_name: str) -> Self:
        """Tag the lead (the tag must exist in the account)."""
        return self.action("assign_tag", tag_name=tag_name)

    def unassign_tag(self, tag_name: str) -> Self:
        """Remove a tag from the lead."""
        return self.action("unassign_tag", tag_name=tag_name)

    def subscribe_lead_to_list(self, list_name: str) -> Self:
        """Subscribe the lead to a list (the list must exist in the account)."""
        return self.action("subscribe_lead_to_list", list_name=list_name)

    def unsubscribe_lead_from_list(self, list_name: str) -> Self:
        """Unsubscribe the lead from a list."""
        return self.action("unsubscribe_lead_from_list", list_name=list_name)

    def give_points_to_lead(self, points: int, *, expiration: int | None = None) -> Self:
        """Add to the lead's score; after ``expiration`` days those points go again (documented).

        ``expiration`` ``0`` or ``None`` means they never expire.
        """
        return self.action("give_points_to_lead", points=points, expiration=expiration)

    def remove_points_from_lead(self, points: int) -> Self:
        """Take points off the lead's score."""
        return self.action("remove_points_from_lead", points=points)

    def subscribe_lead_to_sequence_at_step(self, sequence_name: str, step: str | int) -> Self:
        """Put the lead in a sequence at a step: the step's box number in Kartra's builder."""
        return self.action(
            "subscribe_lead_to_sequence_at_step", sequence_name=sequence_name, step=step
        )

    def unsubscribe_lead_from_sequence(self, sequence_name: str) -> Self:
        """Take the lead out of a sequence."""
        return self.action("unsubscribe_lead_from_sequence", sequence_name=sequence_name)

    def calendar_subscribe(
        self,
        calendar_name: str,
        class_name: str,
        *,
        starting_date: date | str | None = None,
        starting_hour: time | datetime | str | None = None,
    ) -> Self:
        """Book the lead into a class of a calendar, from a date and hour (EST) if given.

        ``starting_date`` is sent as ``16 Jan 2025``, ``starting_hour`` as ``15:00``
        (documented formats; see :mod:`.dates`).
        """
        return self.action(
            "calendar_subscribe",
            calendar_name=calendar_name,
            class_name=class_name,
            starting_date=None if starting_date is None else calendar_date(starting_date),
            starting_hour=None if starting_hour is None else calendar_hour(starting_hour),
        )

    def calendar_cancel(self, calendar_name: str, class_name: str) -> Self:
        """Cancel the lead's booking of a class."""
        return self.action("calendar_cancel", calendar_name=calendar_name, class_name=class_name)

    def create_custom_field(
        self,
        custom_field_identifier: str,
        custom_field_type: CustomFieldType,
        custom_field_options: Sequence[str] = (),
    ) -> Self:
        """Create an account custom field; choice types take two or more option names.

        Sent as ``custom_field_options[n][option_name]`` (documented); none are sent when
        ``custom_field_options`` is empty.
        """
        options = [{"option_name": name} for name in custom_field_options]
        return self.action(
            "create_custom_field",
            custom_field_identifier=custom_field_identifier,
            custom_field_type=custom_field_type,
            custom_field_options=options or None,
        )

    def retrieve_account_tags(self) -> Self:
        """Add the account's tag names to the answer."""
        return self.action("retrieve_account_tags")

    def retrieve_account_lists(self) -> Self:
        """Add the account's list names to the answer."""
        return self.action("retrieve_account_lists")

    def retrieve_account_sequences(self) -> Self:
        """Add the account's sequence names to the answer."""
        return self.action("retrieve_account_sequences")

    def retrieve_account_pages(self) -> Self:
        """Add the account's page names to the answer (``account_pages``: inferred key)."""
        return self.action("retrieve_account_pages")

    def retrieve_custom_fields(self) -> Self:
        """Add the account's custom fields to the answer."""
        return self.action("retrieve_custom_fields")

    # Transactions and recurring subscriptions (docs/behaviour.md#payments).

    def search_transaction(self, transaction_id: str | int) -> Self:
        """Check that a transaction exists (247 if not)."""
        return self.action("search_transaction", transaction_id=transaction_id)

    def get_transaction_details(self, transaction_id: str | int) -> Self:
        """Add a transaction's details to the answer."""
        return self.action("get_transaction_details", transaction_id=transaction_id)

    def retrieve_transactions_from_lead(self) -> Self:
        """Add the chain's lead's transactions to the answer."""
        return self.action("retrieve_transactions_from_lead")

    def refund_transaction(
        self, transaction_id: str | int, refund_amount: Money | None = None
    ) -> Self:
        """Refund a sale or rebill: ``refund_amount`` of it, or all that is left if ``None``."""
        return self.action(
            "refund_transaction", transaction_id=transaction_id, refund_amount=_money(refund_amount)
        )

    def search_subscription(self, subscription_id: str | int) -> Self:
        """Check that a subscription exists (248 if not)."""
        return self.action("search_subscription", subscription_id=subscription_id)

    def get_subscription_details(self, subscription_id: str | int) -> Self:
        """Add a subscription's details to the answer."""
        return self.action("get_subscription_details", subscription_id=subscription_id)

    def retrieve_subscriptions_from_lead(self) -> Self:
        """Add the chain's lead's subscriptions to the answer."""
        return self.action("retrieve_subscriptions_from_lead")

    def get_subscriptions_from_lead(self) -> Self:
        """The legacy form of :meth:`retrieve_subscriptions_from_lead`.

        See docs/behaviour.md#get_subscriptions_from_lead.
        """
        return self.action("get_subscriptions_from_lead")

    def cancel_transaction(
        self,
        *,
        transaction_id: str | int | None = None,
        transaction_internal_subscription_id: str | int | None = None,
    ) -> Self:
        """Cancel a recurring subscription, named by one of its transactions or by its id.

        Kartra needs one of the two (documented); giving neither is a ``ValueError`` here.
        """
        if transaction_id is None and transaction_internal_subscription_id is None:
            raise ValueError(
                "name the subscription: give transaction_id=… or "
                "transaction_internal_subscription_id=…"
            )
        return self.action(
            "cancel_transaction",
            transaction_id=transaction_id,
            transaction_internal_subscription_id=transaction_internal_subscription_id,
        )

    def modify_subscription_status(
        self, subscription_id: str | int, subscription_status_modification: StatusModification
    ) -> Self:
        """Cancel, pause or unpause a subscription (PayPal ones can only be cancelled)."""
        return self.action(
            "modify_subscription_status",
            subscription_id=subscription_id,
            subscription_status_modification=subscription_status_modification,
        )

    def edit_subscription(
        self, subscription_id: str | int, **changes: Unpack[SubscriptionChanges]
    ) -> Self:
        """Change a running subscription; Kartra wants at least one change (285 otherwise).

        A new plan needs ``subscription_product_id`` and ``subscription_price_point``
        together (documented; 283 otherwise). The recurring periods are sent in
        ``subscription_recurrence[recurring_period_1|2]``; the next payment date as
        ``YYYY-MM-DD HH:MM`` EST (see :mod:`.dates`).
        """
        unexpected = changes.keys() - SubscriptionChanges.__optional_keys__
        if unexpected:
            raise TypeError(
                f"edit_subscription() got an unexpected keyword argument {min(unexpected)!r}"
            )
        periods = {
            "recurring_period_1": changes.get("recurring_period_1"),
            "recurring_period_2": changes.get("recurring_period_2"),
        }
        recurrence = {key: value for key, value in periods.items() if value is not None}
        next_payment = changes.get("subscription_next_payment_date")
        if next_payment is not None:
            next_payment = payment_date(next_payment)
        return self.action(
            "edit_subscription",
            subscription_id=subscription_id,
            subscription_product_id=changes.get("subscription_product_id"),
            subscription_price_point=changes.get("subscription_price_point"),
            subscription_next_payment_date=next_payment,
            subscription_amount=_money(changes.get("subscription_amount")),
            subscription_recurrence=recurrence or None,
            subscription_product_quantity=changes.get("subscription_product_quantity"),
            subscription_installments_left=changes.get("subscription_installments_left"),
            subscription_tax_percent=_money(changes.get("subscription_tax_percent")),
        )
