"""check_webhook_handler passes a correct receiver and catches the usual mistakes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from contracts import check_webhook_handler
from kartra_mock.client.webhooks import parse_webhook

pytestmark = pytest.mark.slow

Handler = Callable[[dict[str, Any]], int]


class Store:
    """A receiver's database: tags per lead, and a count of sales."""

    def __init__(self) -> None:
        self.tags: dict[str, set[str]] = {}
        self.sales = 0

    def snapshot(self) -> object:
        return ({k: sorted(v) for k, v in self.tags.items()}, self.sales)

    def clear(self) -> None:
        self.tags.clear()
        self.sales = 0


def app(store: Store, handle: Callable[[Store, dict[str, Any]], int]) -> Starlette:
    async def hook(request: Request) -> Response:
        return PlainTextResponse("ok", status_code=handle(store, json.loads(await request.body())))

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


def _tag(body: dict[str, Any]) -> str:
    details = body.get("action_details") or {}
    tag = details.get("tag") or {}
    return str(tag.get("tag_name", ""))


def correct(store: Store, body: dict[str, Any]) -> int:
    event = parse_webhook(body)
    lead = event.lead_id or "?"
    if event.action == "assign_tag":
        store.tags.setdefault(lead, set()).add(_tag(body))
    elif event.action == "unassign_tag":
        store.tags.setdefault(lead, set()).discard(_tag(body))
    return 200  # unknown and unhandled actions are accepted and ignored


def counts_every_delivery(store: Store, body: dict[str, Any]) -> int:
    if body["action"] in ("buy_product", "assign_tag", "list_subscription"):
        store.sales += 1  # a redelivery counts twice
    return 200


def crashes_on_na(store: Store, body: dict[str, Any]) -> int:
    values: Iterable[object] = body["lead"].values()
    if "N/A" in values:
        raise ValueError("N/A is not a value")  # Starlette answers 500
    return 200


def rejects_unknown_actions(store: Store, body: dict[str, Any]) -> int:
    return 200 if body["action"] in ("assign_tag", "unassign_tag", "buy_product") else 400


def test_a_correct_handler_passes() -> None:
    store = Store()
    check_webhook_handler(
        app(store, correct),
        path="/hook",
        probe=store.snapshot,
        reset=store.clear,
        max_examples=40,
    )


def test_a_plain_post_function_and_ipn_forms() -> None:
    seen: list[str] = []

    def post(body: bytes, content_type: str) -> int:
        seen.append(content_type)
        return 204

    check_webhook_handler(post, interface="post", max_examples=5)
    assert set(seen) == {"application/json"}


def counts_one_rare_action(store: Store, body: dict[str, Any]) -> int:
    if body["action"] == "jv_signup":
        store.sales += 1
    return 200


def crashes_on_na_in_one_action(store: Store, body: dict[str, Any]) -> int:
    survey = (body.get("action_details") or {}).get("survey") or {}
    if body["action"] == "survey_complete" and "N/A" in survey.values():
        raise ValueError("N/A is not a survey name")
    return 200


@pytest.mark.parametrize(
    ("handle", "message", "examples"),
    [
        (counts_every_delivery, "redelivering", 60),
        (crashes_on_na, "answered 500", 60),
        (rejects_unknown_actions, "answered 400", 60),
        # Every documented action is sent complete and all N/A, and redelivered, before
        # chance: one example is enough to find a mistake in any single action.
        (counts_one_rare_action, "redelivering 'jv_signup'", 1),
        (crashes_on_na_in_one_action, "answered 500 to action 'survey_complete'", 1),
    ],
)
def test_wrong_handlers_are_caught(
    handle: Callable[[Store, dict[str, Any]], int], message: str, examples: int
) -> None:
    store = Store()
    with pytest.raises(AssertionError, match=message):
        check_webhook_handler(
            app(store, handle),
            path="/hook",
            probe=store.snapshot,
            reset=store.clear,
            max_examples=examples,
        )
