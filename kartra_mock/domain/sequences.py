"""Sequences: subscribe_lead_to_sequence_at_step and unsubscribe_lead_from_sequence.

docs/behaviour.md#subscribe_lead_to_sequence_at_step: subscribing is documented (a sequence by name,
a step by its box number, both must exist, errors checked in the documented order 226, 225, 219,
229, 230). The unsubscribe page could not be read: its parameter and errors (226, 220) are observed
through a secondary source, and its success entry is our placeholder
(docs/behaviour.md#unsubscribe_lead_from_sequence, inferred)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from kartra_mock.domain.actions import ActionContext, Command, Entry, success, unsubscribe
from kartra_mock.domain.model import LeadSequence
from kartra_mock.protocol import errors

__all__ = ["SEQUENCE_COMMANDS"]


def _subscribe(ctx: ActionContext) -> Entry:
    name = ctx.required("sequence_name", errors.SequenceNameEmpty)
    step = ctx.required("step", errors.StepEmpty)
    sequence = ctx.account.sequences.get(name)
    if sequence is None:
        raise errors.SequenceNotFound
    if not (step.isascii() and step.isalnum()):
        raise errors.StepNotAlphanumeric
    if step not in sequence.steps:
        raise errors.StepNotFound
    # Subscribing again moves the lead to the step (inferred: one place per sequence).
    ctx.the_lead().sequences[name] = LeadSequence(step)
    return success("Lead added to sequence", "107")


def _unsubscribe(ctx: ActionContext) -> Entry:
    name = ctx.existing_name(
        "sequence_name", errors.SequenceNameEmpty, errors.UnsubscribeSequenceNotFound
    )
    # Kartra keeps the sequence on the lead with status "unsubscribed" (docs/behaviour.md#get_lead).
    unsubscribe(ctx.the_lead().sequences, name, lambda place: replace(place, active=False))
    # Placeholder wording with no type: the page was not readable
    # (docs/behaviour.md#unsubscribe_lead_from_sequence, inferred).
    return success("Lead removed from sequence")


SEQUENCE_COMMANDS: Mapping[str, Command] = {
    "subscribe_lead_to_sequence_at_step": Command(
        _subscribe, True, frozenset({"sequence_name", "step"})
    ),
    "unsubscribe_lead_from_sequence": Command(_unsubscribe, True, frozenset({"sequence_name"})),
}
