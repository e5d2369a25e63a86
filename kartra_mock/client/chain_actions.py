"""What the lead actions and the account actions send: the chain builder's methods for them.

Every method adds one action to a chain and returns the chain, so calls read as
``chain.assign_tag("VIP").give_points_to_lead(10)``. Arguments are named as Kartra names its
parameters (docs/behaviour.md#commands); a ``None`` argument is not sent at all. The one-action
methods of the clients are these chains of one (docs/behaviour.md#chains), so each command's
parameters are written here only. Commerce commands live in :mod:`.chain_commerce`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Literal, Self

from kartra_mock.client.dates import calendar_date, calendar_hour

__all__ = ["ChainActions", "CustomFieldType"]

#: The five types create_custom_field accepts (docs/behaviour.md#create_custom_field, documented).
CustomFieldType = Literal["input_field", "text_area", "drop_down", "radio_button", "checkbox"]


class ChainActions:
    """The lead actions (tags, lists, points, sequences, calendars) and the account actions."""

    def action(self, cmd: str, **params: object) -> Self:
        """Add any action; the chain builder defines it."""
        raise NotImplementedError

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
