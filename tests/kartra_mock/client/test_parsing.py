"""The sans-I/O core on its own: parsing Kartra's shapes and driving an exchange by hand."""

from __future__ import annotations

import re

import pytest

from kartra_mock.client import ChainBuilder, LeadList, LeadSequence
from kartra_mock.client.commands import account_names
from kartra_mock.client.core import ClientCore, Credentials, HttpRequest, HttpResponse, Sleep
from kartra_mock.client.parsing import ShapeError, parse_chain, parse_lead_profile
from kartra_mock.client.throttle import Throttle
from kartra_mock.protocol.facts import PROFILE_FIELDS

DETAILS = {
    "id": 12,  # Kartra writes numbers as strings, but a number is read too
    "email": "ada@example.com",
    "score": 5,
    "tags": [{"tag_id": "1", "tag_name": "VIP"}],
    "lists": [
        {"list_id": "1", "list_name": "News", "active": "1"},
        {"list_id": "2", "list_name": "Old", "active": "0"},
    ],
    "sequences": [
        {"sequence_id": "3", "sequence_name": "Welcome", "step": "2", "status": "active"}
    ],
    "custom_fields": [{"field_id": "1", "field_identifier": "text1", "field_type": "input_field"}],
    "memberships": [],
}


def test_a_profile_with_numbers_lists_and_sequences() -> None:
    profile = parse_lead_profile({"status": "Success", "lead_details": DETAILS})
    assert (profile.id, profile.score, profile.tags) == ("12", 5, ("VIP",))
    assert profile.lists == (LeadList("1", "News", True), LeadList("2", "Old", False))
    assert profile.active_lists == ("News",)
    assert profile.sequences == (LeadSequence("3", "Welcome", "2", "active"),)
    assert profile.custom_fields["text1"].text == ""
    assert profile.raw["memberships"] == []


def test_a_profile_reads_each_text_field_from_its_key() -> None:
    details = {key: f"<{key}>" for key in ("id", "email", *PROFILE_FIELDS, "date_joined", "source")}
    profile = parse_lead_profile({"status": "Success", "lead_details": details})
    assert {key: getattr(profile, key) for key in details} == details
    assert parse_lead_profile({"lead_details": {"id": "7"}}).email == ""  # a missing key is ""


@pytest.mark.parametrize(
    ("details", "reason"),
    [
        ({**DETAILS, "score": "lots"}, "score is 'lots', not a number"),
        ({**DETAILS, "id": True}, "lead_details.id is not a string or number"),
        ({**DETAILS, "tags": {"0": "VIP"}}, "lead_details.tags is not a JSON array"),
        ({**DETAILS, "lists": ["News"]}, "lead_details.lists[0] is not a JSON object"),
    ],
)
def test_a_profile_of_the_wrong_shape(details: dict[str, object], reason: str) -> None:
    with pytest.raises(ShapeError, match=re.escape(reason)):
        parse_lead_profile({"status": "Success", "lead_details": details})


def test_an_action_entry_needs_kartras_status() -> None:
    body = {"status": "Success", "actions": [{"assign_tag": {"status": "Done"}}]}
    with pytest.raises(ShapeError, match="status is 'Done'"):
        parse_chain(body, ("assign_tag",))


def test_the_chain_builder_knows_every_command() -> None:
    chain = (
        ChainBuilder({"email": "a@b.c"})
        .unassign_tag("A")
        .unsubscribe_lead_from_list("B")
        .retrieve_account_tags()
        .retrieve_account_lists()
        .retrieve_account_sequences()
        .retrieve_custom_fields()
        .search_lead()
    )
    assert chain.cmds == (
        "search_lead",
        "unassign_tag",
        "unsubscribe_lead_from_list",
        "retrieve_account_tags",
        "retrieve_account_lists",
        "retrieve_account_sequences",
        "retrieve_custom_fields",
    )


def core(*, throttle: Throttle | None = None, max_retries: int = 3) -> ClientCore:
    credentials = Credentials("app", "key", "")
    return ClientCore(credentials, throttle=throttle, max_retries=max_retries, clock=lambda: 5.0)


TAGS = account_names(ChainBuilder().retrieve_account_tags())


def test_an_exchange_driven_by_hand() -> None:
    steps = core().exchange(TAGS)
    request = next(steps)
    assert isinstance(request, HttpRequest)
    with pytest.raises(StopIteration) as done:
        steps.send(HttpResponse(200, b'{"status":"Success","account_tags":["A"]}'))
    assert done.value.value == ("A",)


def test_a_shell_must_answer_a_request_with_a_response() -> None:
    steps = core().exchange(TAGS)
    next(steps)
    with pytest.raises(RuntimeError, match="must send back the HttpResponse"):
        steps.send(None)


def test_the_throttle_asks_the_shell_to_sleep() -> None:
    throttle = Throttle(limit=1, margin=0.0)
    earlier = throttle.join()
    throttle.wait(earlier, 4.0)
    throttle.done(earlier, 4.5)  # answered at 4.5: the slot frees at 5.5
    steps = core(throttle=throttle).exchange(TAGS)  # the core's clock says 5.0
    assert next(steps) == Sleep(0.5)


def test_a_send_that_fails_frees_its_throttle_slot_when_the_exchange_closes() -> None:
    throttle = Throttle(limit=1, margin=0.0)
    steps = core(throttle=throttle).exchange(TAGS)
    assert isinstance(next(steps), HttpRequest)
    steps.close()  # what the shells do when the send raised
    waiting = throttle.join()
    assert throttle.wait(waiting, 6.0) == 0.0  # freed at 5.0 + 1.0 (the core's clock says 5.0)


def test_an_empty_password_redacts_nothing_and_retries_cannot_be_negative() -> None:
    assert core().redact("nothing secret") == "nothing secret"
    with pytest.raises(ValueError, match="max_retries must be 0 or more"):
        core(max_retries=-1)
