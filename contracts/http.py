"""The contracts' own client: documented requests on raw HTTP, answers read strictly.

``verify_server`` drives a server through it (so it checks the server's envelopes, not only its
behaviour), and ``check_client`` uses it as an independent observer of the mock's state. Requests
are what Kartra's PHP sample sends: ``http_build_query`` of the credentials, ``lead`` and
``actions`` (docs/behaviour.md#wire). It paces itself with a throttle when given one, and follows
Kartra's advice on "Too many requests": wait one second, then retry (docs/behaviour.md#rate-limit).

Example::

    with HttpAdapter("http://127.0.0.1:8765/api", app_id="demo-app", api_key="demo-key",
                     api_password="demo-password") as kartra:
        outcome = kartra.create_lead(LeadData(email="ada@example.com"))
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import httpx

from contracts.calls import Action, Chain, Identity, LeadData
from contracts.envelopes import read_call, read_get_lead
from contracts.outcomes import Outcome
from contracts.schema import AccountSchema, CustomFieldSpec
from kartra_mock.client.encoding import encode_body
from kartra_mock.client.parsing import ShapeError, parse_custom_fields, parse_names
from kartra_mock.client.throttle import Throttle

__all__ = ["HttpAdapter", "SchemaError"]

T = TypeVar("T")

#: Kartra: on "Too many requests", wait one second and retry (documented,
#: docs/behaviour.md#rate-limit).
RETRY_DELAY = 1.0
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class SchemaError(RuntimeError):
    """The server's account retrievals could not be read, so the account is unknown."""


class HttpAdapter:
    """An adapter (:class:`~contracts.api.Adapter`) that speaks raw HTTP to any Kartra."""

    def __init__(
        self,
        api_url: str,
        *,
        app_id: str,
        api_key: str,
        api_password: str,
        schema: AccountSchema | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        throttle: Throttle | None = None,
        retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url
        self.app_id = app_id
        self.api_key = api_key
        self._credentials = {"app_id": app_id, "api_key": api_key, "api_password": api_password}
        self.schema = schema or AccountSchema()
        self._http = httpx.Client(transport=transport, timeout=timeout)
        self._throttle = throttle
        self._retries = retries
        self._sleep = sleep
        self._clock = clock
        #: How many requests this adapter sent (for the report).
        self.sent = 0

    # -- the wire -----------------------------------------------------------------------------

    def post(self, params: Mapping[str, object]) -> tuple[int, object]:
        """Send one call; returns the HTTP status and the decoded JSON (``None`` if not JSON)."""
        body = encode_body({**self._credentials, **params})
        attempt = 0
        while True:
            response = self._paced_post(body)
            try:
                answer: object = json.loads(response.content)
            except ValueError:
                answer = None
            limited = response.status_code == 429 or (
                isinstance(answer, dict) and answer.get("type") == "429"
            )
            if not limited or attempt >= self._retries:
                return response.status_code, answer
            attempt += 1
            self._sleep(RETRY_DELAY)

    def _paced_post(self, body: bytes) -> httpx.Response:
        """One POST, through the throttle when there is one (its slot frees after the answer)."""
        self.sent += 1
        throttle = self._throttle
        if throttle is None:
            return self._http.post(self.api_url, content=body, headers=FORM)
        ticket = throttle.join()
        try:
            while (delay := throttle.wait(ticket, self._clock())) > 0:
                self._sleep(delay)
            return self._http.post(self.api_url, content=body, headers=FORM)
        finally:
            throttle.done(ticket, self._clock())

    def _answer(self, params: Mapping[str, object]) -> tuple[object, Outcome | None]:
        try:
            status, answer = self.post(params)
        except httpx.HTTPError as exc:
            return None, Outcome.transport(f"{type(exc).__name__}: {exc}")
        if status != 200 or answer is None:
            kind = "not JSON" if answer is None else "JSON"
            return None, Outcome.transport(f"HTTP {status} with a body that is {kind}")
        return answer, None

    def _call(self, chain: Chain) -> Outcome:
        answer, failed = self._answer(chain.params())
        return failed or read_call(answer, chain.cmds)

    # -- the adapter --------------------------------------------------------------------------

    def create_lead(self, lead: LeadData) -> Outcome:
        """create_lead alone."""
        return self._call(Chain(lead, "create_lead"))

    def edit_lead(self, lead: LeadData) -> Outcome:
        """edit_lead alone."""
        return self._call(Chain(lead, "edit_lead"))

    def search_lead(self, lead: Identity) -> Outcome:
        """search_lead alone."""
        return self._call(Chain(LeadData(lead.id, lead.email), "search_lead"))

    def action(self, lead: Identity, action: Action) -> Outcome:
        """One tag or list action; its failure is the outcome's error."""
        outcome = self._call(Chain(LeadData(lead.id, lead.email), None, (action,)))
        if outcome.ok and outcome.actions and outcome.actions[0].error is not None:
            return Outcome.failed(outcome.actions[0].error)
        return outcome

    def chain(self, chain: Chain) -> Outcome:
        """Any chain, sent exactly as given (a misplaced lead command included)."""
        return self._call(chain)

    def get_lead(self, lead: Identity) -> Outcome:
        """Top-level ``get_lead[id|email]``."""
        answer, failed = self._answer({"get_lead": lead.params()})
        return failed or read_get_lead(answer, self.schema)

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> HttpAdapter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the account --------------------------------------------------------------------------

    def retrieve_schema(self) -> AccountSchema:
        """The account's tags, lists and custom fields, read with Kartra's retrievals
        (docs/behaviour.md#account-retrievals).

        Read-only; it becomes this adapter's :attr:`schema` and is returned.
        """
        tags = self._retrieve("retrieve_account_tags", lambda a: parse_names(a, "account_tags"))
        lists = self._retrieve("retrieve_account_lists", lambda a: parse_names(a, "account_lists"))
        fields = self._retrieve("retrieve_custom_fields", parse_custom_fields)
        self.schema = AccountSchema(
            tags=tuple(tags),
            lists=tuple(lists),
            custom_fields=tuple(
                CustomFieldSpec(item.identifier, item.type, tuple(o.id for o in item.options))
                for item in fields
            ),
        )
        return self.schema

    def _retrieve(self, cmd: str, parse: Callable[[Mapping[str, object]], T]) -> T:
        answer, failed = self._answer({"actions": [{"cmd": cmd}]})
        if failed is not None or not isinstance(answer, dict):
            raise SchemaError(f"{cmd} failed: {failed.describe() if failed else answer!r}")
        if answer.get("status") != "Success":
            raise SchemaError(f"{cmd} answered {answer!r}")
        try:
            return parse(answer)
        except ShapeError as exc:
            raise SchemaError(f"{cmd}: {exc}") from None
