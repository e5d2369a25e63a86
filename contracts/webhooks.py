"""``check_webhook_handler``: hypothesis-generated Kartra webhooks against *your* receiver.

Every documented action (and an unknown future one), first each complete and each all
``N/A``, redelivered; then generated: unicode, missing optional fields and ``N/A`` values, in
any order, some redelivered. Each is posted to your handler, which must:

* answer 2xx to every one (never 5xx, and no 4xx for an action it does not know: Kartra adds
  actions, and documents no retry — a refused webhook is lost);
* stay idempotent on redelivery: a duplicate right after the original leaves ``probe()``
  (your view of the handler's effect: rows, a dict, anything comparable) unchanged.

Example::

    contracts.check_webhook_handler(my_asgi_app, path="/kartra/webhook",
                                    probe=lambda: dict(db.tags), reset=db.clear)
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections.abc import Callable
from typing import Any, Literal

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kartra_mock.protocol.outbound import ACTION_DETAILS, IPN_VARIABLES, WEBHOOK_ACTIONS

__all__ = ["Post", "check_webhook_handler", "ipn_forms", "sweep_bodies", "webhook_bodies"]

#: Posts a body with a content type to the handler and returns the HTTP status.
Post = Callable[[bytes, str], int]
Interface = Literal["asgi", "wsgi", "url", "post"]

_NA = "N/A"
_text = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=24),
    st.just(_NA),
    st.just(""),
)
_LEAD_FIELDS = ("first_name", "last_name", "phone", "company", "city", "country", "score")


@st.composite
def _lead(draw: st.DrawFn) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "id": str(draw(st.integers(1, 10**9))),
        "email": draw(st.one_of(st.emails(), st.just(_NA))),
    }
    for name in draw(st.sets(st.sampled_from(_LEAD_FIELDS))):
        lead[name] = draw(_text)
    if draw(st.booleans()):
        lead["tags"] = [{"tag_id": "1", "tag_name": draw(_text)}]
    return lead


@st.composite
def webhook_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A webhook body: a documented action (sometimes an unknown one), sparse and odd values."""
    known = st.sampled_from(WEBHOOK_ACTIONS)
    unknown = st.from_regex(r"[a-z]{3,12}_[a-z]{3,12}", fullmatch=True)
    action = draw(st.one_of(known, known, known, unknown))
    key, fields = ACTION_DETAILS.get(action, ("item", ("item_id", "item_name")))
    inner = {name: draw(_text) for name in fields if draw(st.booleans())}
    body: dict[str, Any] = {"lead": draw(_lead()), "action": action}
    if draw(st.integers(0, 9)):  # now and then without action_details at all
        body["action_details"] = {key: inner}
    return body


@st.composite
def ipn_forms(draw: st.DrawFn) -> dict[str, str]:
    """An IPN form: every documented variable, many of them ``N/A``."""
    form = {name: draw(st.one_of(st.just(_NA), _text)) for name in IPN_VARIABLES}
    form["transaction_id"] = str(draw(st.integers(1, 10**9)))
    form["transaction_type"] = draw(
        st.sampled_from(("sale", "refund", "partial_refund", "rebill", "cancellation"))
    )
    return form


def _poster(target: Any, interface: Interface, path: str) -> tuple[Post, Callable[[], None]]:
    if interface == "post":
        return target, lambda: None
    if interface == "url":
        client = httpx.Client(timeout=10)
        url = str(target)

        def post_url(body: bytes, content_type: str) -> int:
            response = client.post(url, content=body, headers={"Content-Type": content_type})
            return response.status_code

        return post_url, client.close
    if interface == "wsgi":
        wsgi = httpx.Client(
            transport=httpx.WSGITransport(app=target, raise_app_exceptions=False),
            base_url="http://handler",
        )

        def post_wsgi(body: bytes, content_type: str) -> int:
            return wsgi.post(path, content=body, headers={"Content-Type": content_type}).status_code

        return post_wsgi, wsgi.close
    loop = asyncio.new_event_loop()
    client_async = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=target, raise_app_exceptions=False),
        base_url="http://handler",
    )

    def post_asgi(body: bytes, content_type: str) -> int:
        call = client_async.post(path, content=body, headers={"Content-Type": content_type})
        return loop.run_until_complete(call).status_code

    def close() -> None:
        loop.run_until_complete(client_async.aclose())
        loop.close()

    return post_asgi, close


def _judge(status: int, what: str) -> None:
    if not 200 <= status < 300:
        raise AssertionError(
            f"the handler answered {status} to {what}; Kartra expects 2xx for every webhook "
            "(see docs/contracts.md#check_webhook_handler)"
        )


def _send(
    post: Post, body: dict[str, Any], again: bool, probe: Callable[[], object] | None
) -> None:
    """Post ``body``; when ``again`` and there is a probe, redeliver it and compare effects."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    _judge(post(raw, "application/json"), f"action {body['action']!r}: {body}")
    if again and probe is not None:
        before = probe()
        _judge(post(raw, "application/json"), f"a redelivery of {body['action']!r}")
        after = probe()
        if after != before:
            raise AssertionError(
                f"redelivering {body['action']!r} changed the handler's effect: "
                f"{before!r} -> {after!r}; Kartra may deliver a webhook twice"
            )


def sweep_bodies() -> list[dict[str, Any]]:
    """Every documented action and one unknown, each complete and then all ``N/A``.

    Sent (and redelivered) before the generated examples, so that no action is left to chance.
    """
    bodies: list[dict[str, Any]] = []
    for value in (None, _NA):
        for action in (*WEBHOOK_ACTIONS, "future_action"):
            key, fields = ACTION_DETAILS.get(action, ("item", ("item_id", "item_name")))
            lead: dict[str, Any] = {"id": "1", "email": "ada@example.com" if value is None else _NA}
            lead.update({name: value or f"{name} 1" for name in _LEAD_FIELDS})
            lead["tags"] = [{"tag_id": "1", "tag_name": value or "VIP"}]
            details = {name: value or f"{name} 1" for name in fields}
            bodies.append({"lead": lead, "action": action, "action_details": {key: details}})
    return bodies


def check_webhook_handler(
    target: Any,
    *,
    interface: Interface = "asgi",
    path: str = "/",
    probe: Callable[[], object] | None = None,
    reset: Callable[[], None] | None = None,
    ipn_path: str | None = None,
    max_examples: int = 50,
    shrink: bool = False,
) -> None:
    """Check a webhook receiver; raises :class:`AssertionError` with a falsifying example.

    ``target`` is an ASGI app (default), a WSGI app (``interface="wsgi"``), a URL
    (``interface="url"``) or a ``post(body, content_type) -> status`` function
    (``interface="post"``). ``ipn_path``, for an app, also sends IPN forms there.
    ``shrink=True`` reduces a failing example to a minimal one (slower).
    """
    post, close = _poster(target, interface, path)
    post_ipn: Post | None = None
    close_ipn: Callable[[], None] = lambda: None  # noqa: E731
    if ipn_path is not None and interface in ("asgi", "wsgi"):
        post_ipn, close_ipn = _poster(target, interface, ipn_path)

    @settings(
        max_examples=max_examples,
        phases=tuple(p for p in Phase if shrink or p is not Phase.shrink),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        events=st.lists(webhook_bodies(), min_size=1, max_size=6),
        duplicates=st.lists(st.booleans(), min_size=6, max_size=6),
        forms=st.lists(ipn_forms(), max_size=2),
    )
    def run(
        events: list[dict[str, Any]], duplicates: list[bool], forms: list[dict[str, str]]
    ) -> None:
        if reset is not None:
            reset()
        for event, again in zip(events, duplicates, strict=False):
            _send(post, event, again, probe)
        if post_ipn is not None:
            for form in forms:
                data = urllib.parse.urlencode(form).encode()
                _judge(post_ipn(data, "application/x-www-form-urlencoded"), f"IPN {form}")

    try:
        if reset is not None:
            reset()
        for body in sweep_bodies():
            _send(post, body, True, probe)
        run()
    finally:
        close()
        close_ipn()
