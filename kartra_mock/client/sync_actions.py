""":class:`~kartra_mock.client.KartraClient`'s lead actions and account actions, one call each.

A lead action names an existing lead by ``id=`` and/or ``email=`` (Kartra: the id wins) and
answers its :class:`ActionResult`, or raises the catalogue error of its failure (243 when
the lead does not exist). The parameters are the chain builder's (:mod:`.chain_actions`);
:mod:`.async_actions` is the twin of this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TypeVar

from kartra_mock.client.chain_actions import CustomFieldType
from kartra_mock.client.commands import ChainBuilder, act, fetch, names, on_lead
from kartra_mock.client.core import Operation
from kartra_mock.client.parsing import parse_custom_fields
from kartra_mock.client.results import ActionResult, CustomField

__all__ = ["SyncActions"]

T = TypeVar("T")


class SyncActions:
    """Tags, lists, points, sequences, calendars; account retrievals and custom fields."""

    def _run(self, operation: Operation[T]) -> T:
        raise NotImplementedError  # the client sends it

    def assign_tag(
        self, tag_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Tag an existing lead."""
        return self._run(act(on_lead(id, email).assign_tag(tag_name)))

    def unassign_tag(
        self, tag_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Remove a tag from an existing lead."""
        return self._run(act(on_lead(id, email).unassign_tag(tag_name)))

    def subscribe_lead_to_list(
        self, list_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Subscribe an existing lead to a list."""
        return self._run(act(on_lead(id, email).subscribe_lead_to_list(list_name)))

    def unsubscribe_lead_from_list(
        self, list_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Unsubscribe an existing lead from a list."""
        return self._run(act(on_lead(id, email).unsubscribe_lead_from_list(list_name)))

    def give_points_to_lead(
        self,
        points: int,
        *,
        expiration: int | None = None,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Add to a lead's score; after ``expiration`` days (if given) they go again."""
        chain = on_lead(id, email).give_points_to_lead(points, expiration=expiration)
        return self._run(act(chain))

    def remove_points_from_lead(
        self, points: int, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Take points off a lead's score."""
        return self._run(act(on_lead(id, email).remove_points_from_lead(points)))

    def subscribe_lead_to_sequence_at_step(
        self,
        sequence_name: str,
        step: str | int,
        *,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Put a lead in a sequence at a step (the step's box number)."""
        chain = on_lead(id, email).subscribe_lead_to_sequence_at_step(sequence_name, step)
        return self._run(act(chain))

    def unsubscribe_lead_from_sequence(
        self, sequence_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Take a lead out of a sequence."""
        return self._run(act(on_lead(id, email).unsubscribe_lead_from_sequence(sequence_name)))

    def calendar_subscribe(
        self,
        calendar_name: str,
        class_name: str,
        *,
        starting_date: date | str | None = None,
        starting_hour: time | datetime | str | None = None,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Book a lead into a class of a calendar, from a date and hour (EST) if given."""
        chain = on_lead(id, email).calendar_subscribe(
            calendar_name, class_name, starting_date=starting_date, starting_hour=starting_hour
        )
        return self._run(act(chain))

    def calendar_cancel(
        self,
        calendar_name: str,
        class_name: str,
        *,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Cancel a lead's booking of a class."""
        return self._run(act(on_lead(id, email).calendar_cancel(calendar_name, class_name)))

    def create_custom_field(
        self,
        custom_field_identifier: str,
        custom_field_type: CustomFieldType,
        custom_field_options: Sequence[str] = (),
    ) -> ActionResult:
        """Create an account custom field; choice types take two or more option names."""
        chain = ChainBuilder().create_custom_field(
            custom_field_identifier, custom_field_type, custom_field_options
        )
        return self._run(act(chain))

    def retrieve_account_tags(self) -> tuple[str, ...]:
        """The names of the account's tags."""
        return self._run(fetch(ChainBuilder().retrieve_account_tags(), names("account_tags")))

    def retrieve_account_lists(self) -> tuple[str, ...]:
        """The names of the account's lists."""
        return self._run(fetch(ChainBuilder().retrieve_account_lists(), names("account_lists")))

    def retrieve_account_sequences(self) -> tuple[str, ...]:
        """The names of the account's sequences."""
        chain = ChainBuilder().retrieve_account_sequences()
        return self._run(fetch(chain, names("account_sequences")))

    def retrieve_account_pages(self) -> tuple[str, ...]:
        """The names of the account's pages (``account_pages``: the mock's key, inferred)."""
        return self._run(fetch(ChainBuilder().retrieve_account_pages(), names("account_pages")))

    def retrieve_custom_fields(self) -> tuple[CustomField, ...]:
        """The account's custom fields and their options."""
        return self._run(fetch(ChainBuilder().retrieve_custom_fields(), parse_custom_fields))
