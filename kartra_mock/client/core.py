"""The sans-I/O core shared by the sync and async clients: build, retry, throttle, parse.

:meth:`ClientCore.exchange` is a generator that performs one call without doing any I/O
itself: it yields :class:`HttpRequest` (the shell sends it and ``send()``\\ s back an
:class:`HttpResponse`) or :class:`Sleep` (the shell sleeps, with ``time.sleep`` or
``asyncio.sleep``, and ``send()``\\ s back ``None``), and finally returns the parsed result
or raises. Retrying on 429 and the client-side throttle therefore live here, once.

Example (what a shell does)::

    steps = core.exchange(operation)
    step = next(steps)
    while True:  # until StopIteration carries the result
        reply = http_send(step) if isinstance(step, HttpRequest) else sleep(step.seconds)
        step = steps.send(reply)
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kartra_mock.client.encoding import Params, encode_body, php_urlencode
from kartra_mock.client.errors import KartraProtocolError, RateLimitExceeded
from kartra_mock.client.parsing import ShapeError
from kartra_mock.client.throttle import Throttle
from kartra_mock.protocol.errors import ERRORS_BY_TYPE, KartraError, TooManyRequests, error_for_type

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "EXCERPT_LENGTH",
    "RETRY_DELAY",
    "ClientCore",
    "Credentials",
    "HttpRequest",
    "HttpResponse",
    "Operation",
    "Sleep",
]

logger = logging.getLogger("kartra_mock.client")

T = TypeVar("T")

#: Kartra's one endpoint (docs/behaviour.md#transport).
DEFAULT_BASE_URL = "https://app.kartra.com/api"
#: On "Too many requests", Kartra says: wait one second and retry (docs/behaviour.md#rate-limit).
RETRY_DELAY = 1.0
DEFAULT_MAX_RETRIES = 3
#: Seconds, for the httpx client the Kartra client creates itself.
DEFAULT_TIMEOUT = 10.0
#: How much of an unexpected body an error message quotes.
EXCERPT_LENGTH = 200
_REDACTED = "***"
# The api_password parameter where a body or query string carries it, form-encoded or JSON.
_FORM_PASSWORD = re.compile(r"(?<![\w%])(api_password=)[^&\s\"'<>]*")
_JSON_PASSWORD = re.compile(r'("api_password"\s*:\s*")(?:[^"\\]|\\.)*(")')


@dataclass(frozen=True, slots=True)
class Credentials:
    """The three credentials of every call; the password never shows in a repr."""

    app_id: str
    api_key: str
    api_password: str = field(repr=False)

    def params(self) -> dict[str, str]:
        """The credential parameters, in the order of Kartra's sample code."""
        return {"app_id": self.app_id, "api_key": self.api_key, "api_password": self.api_password}


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One call: the parameters to send and how to read a successful answer."""

    params: Params
    parse: Callable[[Mapping[str, object]], T]
    label: str = "call"


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """A request for the shell to send; ``body`` holds the credentials, so it has no repr."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Sleep:
    """Ask the shell to wait (throttle slot, or Kartra's one second after a 429)."""

    seconds: float


#: What the core asks its shell to do.
Step = HttpRequest | Sleep


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """What the shell received."""

    status_code: int
    body: bytes


#: One call's exchange: the core yields steps, the shell sends back each response (None after
#: a sleep), and the core returns the call's result.
Exchange = Generator[Step, HttpResponse | None, T]


class ClientCore:
    """Everything a client does except I/O; one per client object."""

    __slots__ = ("_clock", "_throttle", "base_url", "credentials", "max_retries", "retry_delay")

    def __init__(
        self,
        credentials: Credentials,
        *,
        base_url: str = DEFAULT_BASE_URL,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_delay: float = RETRY_DELAY,
        throttle: Throttle | None = None,
        clock: Callable[[], float],
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, not {max_retries}")
        self.credentials = credentials
        self.base_url = base_url
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self._throttle = throttle
        self._clock = clock

    def build(self, params: Params) -> HttpRequest:
        """The HTTP request for a call: credentials first, then ``params``, PHP-encoded."""
        body = encode_body({**self.credentials.params(), **params})
        headers = (
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "*/*"),
            ("User-Agent", "kartra-mock-client (python-httpx)"),
        )
        return HttpRequest("POST", self.base_url, headers, body)

    def exchange(self, operation: Operation[T]) -> Exchange[T]:
        """Perform ``operation``: yields requests and sleeps, returns its result or raises."""
        request = self.build(operation.params)
        attempt = 1
        while True:
            response = yield from self._send(request)
            if response is None:
                raise RuntimeError("the shell must send back the HttpResponse for a request")
            answer = _decode(response.body)
            logger.debug(
                "POST %s (%s) -> HTTP %d", self.base_url, operation.label, response.status_code
            )
            if not _rate_limited(response, answer):
                return self._finish(response, answer, operation)
            if attempt > self.max_retries:
                raise RateLimitExceeded(
                    status_code=response.status_code,
                    body_excerpt=self.excerpt(response.body),
                    attempts=attempt,
                ) from TooManyRequests()
            logger.warning(
                "Kartra answered 'Too many requests' to %s; retrying in %.1f s (retry %d of %d)",
                operation.label,
                self.retry_delay,
                attempt,
                self.max_retries,
            )
            attempt += 1
            yield Sleep(self.retry_delay)

    def _send(
        self, request: HttpRequest
    ) -> Generator[Step, HttpResponse | None, HttpResponse | None]:
        """Send ``request`` through the throttle: its slot frees a window after the answer."""
        throttle = self._throttle
        if throttle is None:
            return (yield request)
        ticket = throttle.join()
        try:
            while (delay := throttle.wait(ticket, self._clock())) > 0:
                yield Sleep(delay)
            return (yield request)
        finally:
            throttle.done(ticket, self._clock())

    def _finish(self, response: HttpResponse, answer: object, operation: Operation[T]) -> T:
        def protocol_error(reason: str) -> KartraProtocolError:
            return KartraProtocolError(
                reason, status_code=response.status_code, body_excerpt=self.excerpt(response.body)
            )

        status = response.status_code
        if status != 200:
            hint = " (is base_url the /api endpoint?)" if status in (404, 405) else ""
            raise protocol_error(
                f"HTTP {status} from {self.base_url}: Kartra always answers 200{hint}"
            )
        if answer is _UNDECODABLE:
            raise protocol_error("the answer is not JSON")
        if not isinstance(answer, dict):
            raise protocol_error("the answer is not a JSON object")
        if answer.get("status") == "Error":
            raise self._flat_error(answer)
        if answer.get("status") != "Success":
            raise protocol_error("the answer has no 'status' of 'Success' or 'Error'")
        try:
            return operation.parse(answer)
        except ShapeError as exc:
            raise protocol_error(f"unexpected answer to {operation.label}: {exc}") from None

    def _flat_error(self, answer: Mapping[str, object]) -> KartraError:
        raw_type = answer.get("type")
        raw_message = answer.get("message")
        type_code = str(raw_type) if isinstance(raw_type, str | int) else ""
        message = raw_message if isinstance(raw_message, str) else None
        known = ERRORS_BY_TYPE.get(type_code)
        # Kartra's own message for the code carries no secret; anything else may echo one.
        if message is not None and (known is None or message != known.default_message):
            message = self.redact(message)
        return error_for_type(type_code, message)

    def redact(self, text: str) -> str:
        """``text`` with the api_password hidden (``***``) where it stands.

        That is the value of an ``api_password`` parameter (form, query string or JSON), and
        the password itself, raw or URL-encoded, where it stands as a whole word: a short
        password never mangles the words it is part of ("API password not valid" stays).
        """
        if "api_password" in text:
            text = _FORM_PASSWORD.sub(rf"\g<1>{_REDACTED}", text)
            text = _JSON_PASSWORD.sub(rf"\g<1>{_REDACTED}\g<2>", text)
        secret = self.credentials.api_password
        if not secret:
            return text
        for form in {secret, php_urlencode(secret)}:
            if form in text:
                word = re.compile(rf"(?<![^\W_]){re.escape(form)}(?![^\W_])")
                text = word.sub(_REDACTED, text)
        return text

    def excerpt(self, body: bytes) -> str:
        """The start of a body for an error message, decoded leniently and redacted."""
        text = self.redact(body.decode("utf-8", errors="replace"))
        if len(text) > EXCERPT_LENGTH:
            return text[:EXCERPT_LENGTH] + "…"
        return text


_UNDECODABLE = object()


def _decode(body: bytes) -> object:
    """The JSON in a body, whatever its Content-Type (Kartra says text/html); or a marker."""
    try:
        return json.loads(body.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError):
        return _UNDECODABLE


def _rate_limited(response: HttpResponse, answer: object) -> bool:
    """HTTP 429, or a flat type-429 error: Kartra's docs do not say which one it sends."""
    if response.status_code == 429:
        return True
    return (
        response.status_code == 200
        and isinstance(answer, dict)
        and answer.get("status") == "Error"
        and str(answer.get("type")) == TooManyRequests.type_code
    )
