"""A handle on one mock for tests: seed it, read it, get clients bound to it. Works without pytest.

The same :class:`KartraMock` drives an in-process app (no socket) and a real server: both are
reached through the control plane's client (:class:`~kartra_mock.client.control.ControlPlane`),
except that in-process seeding (``add_lead``, ``add_tags``, ...) calls the engine directly, with
no HTTP or JSON in between; remotely it posts one item per call.

Example::

    mock = KartraMock.in_process()
    mock.add_tags("VIP")
    lead_id = mock.add_lead("ada@example.com", first_name="Ada")
    with mock.client() as kartra:
        kartra.assign_tag("VIP", id=lead_id)
    assert mock.warnings() == []
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, cast

import httpx

from kartra_mock import DEMO_API_KEY, DEMO_API_PASSWORD, DEMO_APP_ID
from kartra_mock.client.control import ControlPlane, ControlPlaneError

if TYPE_CHECKING:
    from kartra_mock.client import AsyncKartraClient, KartraClient
    from kartra_mock.engine.backend import Backend
    from kartra_mock.engine.seeding import SeedKind
    from kartra_mock.outbound.delivery import Sender

__all__ = ["KartraMock", "MockError"]

#: Base URL of an in-process mock; any host works, this one says what it is.
IN_PROCESS_URL = "http://kartra-mock.invalid"
#: How long a control-plane call may take, in-process or over a socket, before it fails.
CONTROL_TIMEOUT = 10.0


def journal_warnings(backend: Backend) -> list[dict[str, Any]]:
    """The contract warnings in ``backend``'s journal, in call order, as its JSON shows them."""
    return [warning.to_json() for entry in backend.journal() for warning in entry.warnings]


class MockError(AssertionError):
    """The mock's control plane refused a request (an invalid state document, a missing lead)."""


class _AppOnDemand:
    """An in-process mock's ASGI app, built on its first request (or a look at ``.app``).

    A test that makes no call never pays for building the app (its routes, its inspector
    page); one that does pays once, at its first call.
    """

    __slots__ = ("_app", "_backend", "_lock")

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._app: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        """The app, built now if it was not yet."""
        if self._app is None:
            with self._lock:
                if self._app is None:
                    from kartra_mock.server.app import create_app

                    self._app = create_app(backend=self._backend)
        return self._app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.get()(scope, receive, send)


class KartraMock:
    """One mock, reached through its control plane; ``url`` is where ``/api`` lives."""

    def __init__(
        self,
        http: httpx.Client,
        url: str,
        *,
        app: Any = None,
        backend: Backend | None = None,
        sender: Sender | None = None,
        app_id: str = DEMO_APP_ID,
        api_key: str = DEMO_API_KEY,
        api_password: str = DEMO_API_PASSWORD,
    ) -> None:
        self._http = http
        self._plane = ControlPlane(http)
        #: In-process: the engine itself, which seeding calls without HTTP.
        self._backend = backend
        self.url = url.rstrip("/")
        #: What in-process transports call: the app, or the app built on its first request.
        self._asgi = app
        self._sender = sender
        self.app_id = app_id
        self.api_key = api_key
        self.api_password = api_password

    @classmethod
    def in_process(
        cls,
        state: Mapping[str, object] | None = None,
        *,
        deliver_to: Callable[..., Any] | None = None,
        wsgi: bool = False,
        **overrides: Any,
    ) -> KartraMock:
        """A fresh in-process mock; ``overrides`` as the server's ``Overrides``.

        ``deliver_to``: an ASGI app (a WSGI app with ``wsgi=True``) that receives the outbound
        webhooks and IPNs directly, no socket: each configured URL's path is called in it.
        """
        from kartra_mock.engine.backend import Backend, Overrides
        from kartra_mock.outbound.delivery import Sender, app_poster
        from kartra_mock.testing.asgi import SyncASGITransport

        sender = None if deliver_to is None else Sender(app_poster(deliver_to, asgi=not wsgi))
        backend = Backend(state, overrides=Overrides(**overrides), sender=sender)
        app = _AppOnDemand(backend)
        transport = SyncASGITransport(app)
        http = httpx.Client(transport=transport, base_url=IN_PROCESS_URL, timeout=CONTROL_TIMEOUT)
        return cls(http, IN_PROCESS_URL, app=app, backend=backend, sender=backend.sender)

    @classmethod
    def remote(cls, url: str) -> KartraMock:
        """A handle on a mock server already running at ``url`` (e.g. ``http://127.0.0.1:8765``)."""
        return cls(httpx.Client(base_url=url.rstrip("/"), timeout=CONTROL_TIMEOUT), url)

    @property
    def app(self) -> Any:
        """The ASGI app when the mock runs in-process, else ``None``."""
        asgi = self._asgi
        return asgi.get() if isinstance(asgi, _AppOnDemand) else asgi

    @property
    def api_url(self) -> str:
        """The ``/api`` endpoint."""
        return f"{self.url}/api"

    # -- control plane ----------------------------------------------------------------------

    def _control(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args)
        except ControlPlaneError as exc:
            raise MockError(str(exc)) from None

    @property
    def control(self) -> ControlPlane:
        """The control plane's client, for what this handle has no method for."""
        return self._plane

    def reset(self, api_key: str | None = None) -> None:
        """Back to the initial world (or reset one account)."""
        self._control(self._plane.reset, api_key)

    def state(self) -> dict[str, Any]:
        """The whole world as a state document."""
        return cast(dict[str, Any], self._control(self._plane.state))

    def load_state(self, document: Mapping[str, object]) -> None:
        """Replace the world with a state document (it also becomes the world reset returns to)."""
        self._control(self._plane.put_state, document)

    def requests(self, api_key: str | None = None) -> list[dict[str, Any]]:
        """The request journal, oldest first."""
        return cast(list[dict[str, Any]], self._control(self._plane.journal, api_key))

    def warnings(self) -> list[dict[str, Any]]:
        """Every contract warning the journal holds, in call order, except accepted ones."""
        return [w for w in self._all_warnings() if not w.get("accepted")]

    def accepted_warnings(self) -> list[dict[str, Any]]:
        """The warnings of rules the mock was told to accept (``accept_rules``), in call order."""
        return [w for w in self._all_warnings() if w.get("accepted")]

    def _all_warnings(self) -> list[dict[str, Any]]:
        """Every contract warning the journal holds, accepted or not, in call order (in-process:
        read from the engine's journal as ``GET /_mock/requests`` shows them, nothing else)."""
        if self._backend is not None:
            return journal_warnings(self._backend)
        return [w for entry in self.requests() for w in entry["warnings"]]

    def clear_requests(self) -> None:
        """Empty the journal."""
        self._control(self._plane.clear_journal)

    def delete_lead(self, lead_id: int | str, *, api_key: str | None = None) -> None:
        """Mark a lead deleted, as Kartra's UI does (it then answers 245)."""
        self._control(self._plane.delete_lead, api_key or self.api_key, lead_id)

    # -- faults (docs/faults.md) -------------------------------------------------------------

    def fault(self, kind: str, *, api_key: str | None = None, **options: Any) -> dict[str, Any]:
        """Schedule a fault for this mock's account (``api_key`` defaults to the handle's)."""
        body = {"kind": kind, "api_key": api_key or self.api_key, **options}
        body = {key: value for key, value in body.items() if value is not None}
        return cast(dict[str, Any], self._control(self._plane.schedule_fault, body))

    def fail_next(self, type_code: str, *, times: int = 1, **options: Any) -> dict[str, Any]:
        """The next ``times`` calls answer Kartra's error ``type_code`` and change nothing."""
        return self.fault("kartra_error", type=type_code, times=times, **options)

    def rate_limit_next(self, *, times: int = 1, **options: Any) -> dict[str, Any]:
        """The next ``times`` calls get HTTP 429, as Kartra's rate limit answers."""
        return self.fault("rate_limit", times=times, **options)

    def server_error_next(
        self, status: int = 500, *, times: int = 1, **options: Any
    ) -> dict[str, Any]:
        """The next ``times`` calls get an HTML HTTP ``status`` page (500, 502, 503 or 504)."""
        return self.fault("server_error", status=status, times=times, **options)

    def slow_next(self, latency_ms: int, *, times: int = 1, **options: Any) -> dict[str, Any]:
        """The next ``times`` answers come ``latency_ms`` late (the calls run at once)."""
        return self.fault("latency", latency_ms=latency_ms, times=times, **options)

    def drop_next(self, *, times: int = 1, **options: Any) -> dict[str, Any]:
        """The next ``times`` calls lose their connection before an answer."""
        return self.fault("drop", times=times, **options)

    def faults(self) -> list[dict[str, Any]]:
        """The pending faults."""
        return cast(list[dict[str, Any]], self._control(self._plane.faults))

    def clear_faults(self) -> None:
        """Remove every pending fault."""
        self._control(self._plane.clear_faults)

    # -- outbound webhooks and IPN (docs/webhooks.md) ----------------------------------------

    def set_outbound(self, config: Mapping[str, object]) -> dict[str, Any]:
        """Replace the outbound configuration (``webhooks``, ``ipn``, ``delivery``)."""
        return cast(dict[str, Any], self._control(self._plane.set_outbound, config))

    def trigger(
        self, action: str, lead: str | int, *, api_key: str | None = None, **options: Any
    ) -> list[dict[str, Any]]:
        """Make ``action`` happen to ``lead`` (``details``, ``product_id``, ``price_point``).

        Returns where the calls were queued (``url``, ``event``).
        """
        body = {"action": action, "lead": lead, "api_key": api_key or self.api_key, **options}
        return cast(list[dict[str, Any]], self._control(self._plane.trigger, body))

    def deliveries(self, since: int = 0) -> list[dict[str, Any]]:
        """The delivery journal after ``since``, oldest first."""
        return cast(list[dict[str, Any]], self._control(self._plane.deliveries, since))

    def wait_for_deliveries(self, count: int, *, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The journal once it holds ``count`` attempts; :class:`MockError` after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            journal = self.deliveries()
            if len(journal) >= count:
                return journal
            if time.monotonic() > deadline:
                raise MockError(f"expected {count} deliveries within {timeout}s; got {journal}")
            time.sleep(0.01)

    # -- seeding: one item per call, O(1) (docs/control-plane.md) ----------------------------

    def seed(self, kind: SeedKind, item: Mapping[str, object], api_key: str | None = None) -> Any:
        """Add one item (state-document format) to the account; returns what was added."""
        key = api_key or self.api_key
        if self._backend is None:
            return self._control(self._plane.seed, key, kind, item)
        from kartra_mock.engine.state_checks import StateError

        try:
            return self._backend.seed(key, kind, item)
        except StateError as exc:
            raise MockError(f"invalid item: {exc}") from None

    def add_custom_field(
        self,
        identifier: str,
        type: str = "input_field",
        options: Mapping[int, str] | None = None,
        *,
        api_key: str | None = None,
    ) -> None:
        """Give the account a custom field; ``options`` maps option ids to values."""
        field: dict[str, Any] = {"identifier": identifier, "type": type}
        if options:
            field["options"] = [{"id": k, "value": v} for k, v in options.items()]
        self.seed("custom_fields", field, api_key)

    def add_tags(self, *names: str, api_key: str | None = None) -> None:
        """Create tags in the account (existing ones are kept)."""
        for name in names:
            self.seed("tags", {"name": name}, api_key)

    def add_lists(self, *names: str, api_key: str | None = None) -> None:
        """Create lists in the account (existing ones are kept)."""
        for name in names:
            self.seed("lists", {"name": name}, api_key)

    def add_sequence(
        self, name: str, steps: tuple[str, ...] = (), *, api_key: str | None = None
    ) -> None:
        """Create a sequence with the box numbers of its steps."""
        self.seed("sequences", {"name": name, "steps": list(steps)}, api_key)

    def add_lead(self, email: str, *, api_key: str | None = None, **fields: Any) -> int:
        """Put a lead straight into the account (no call, no journal entry); returns its id.

        ``fields`` use the state document's lead format: ``id`` (default: the next one),
        profile fields, ``custom_fields`` (identifier → value), ``tags``, ``lists``,
        ``deleted``.
        """
        return int(self.seed("leads", {"email": email, **fields}, api_key)["id"])

    # -- clients ------------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport | None:
        """A new transport into the in-process app (``None`` for a remote mock: use the URL)."""
        if self._asgi is None:
            return None
        from kartra_mock.testing.asgi import SyncASGITransport

        return SyncASGITransport(self._asgi)

    def async_transport(self) -> httpx.AsyncBaseTransport | None:
        """A new async transport into the in-process app (``None`` for a remote mock)."""
        if self._asgi is None:
            return None
        from kartra_mock.testing.asgi import AsyncASGITransport

        return AsyncASGITransport(self._asgi)

    def intercept(self) -> AbstractContextManager[None]:
        """While active, httpx and ``requests`` calls to ``app.kartra.com`` reach this mock.

        In-process only (:func:`kartra_mock.testing.intercept.intercept`); the
        ``kartra_inprocess`` fixture does this for every test.
        """
        if self._asgi is None:
            raise MockError("only an in-process mock intercepts calls; give code the URL instead")
        from kartra_mock.testing.intercept import intercept

        return intercept(self._asgi)

    def client(self, **options: Any) -> KartraClient:
        """A reference client bound to this mock (options as :class:`KartraClient`'s)."""
        from kartra_mock.client import KartraClient

        if "transport" not in options and "http_client" not in options:
            options["transport"] = self.transport()
        return KartraClient(**self._credentials(options))

    def async_client(self, **options: Any) -> AsyncKartraClient:
        """An async reference client bound to this mock."""
        from kartra_mock.client import AsyncKartraClient

        if "transport" not in options and "http_client" not in options:
            options["transport"] = self.async_transport()
        return AsyncKartraClient(**self._credentials(options))

    def _credentials(self, options: dict[str, Any]) -> dict[str, Any]:
        return {
            "app_id": self.app_id,
            "api_key": self.api_key,
            "api_password": self.api_password,
            "base_url": self.api_url,
            **options,
        }

    def close(self) -> None:
        """Close the control-plane connection (and, in-process, the outbound sender).

        Close it, or use the mock as a context manager (``with``): that stops the outbound
        sender's thread, and the helper thread of calls made from inside a running event loop.
        Neither keeps the interpreter from exiting if you forget.
        """
        self._http.close()
        if self._sender is not None:
            self._sender.close()

    def __enter__(self) -> KartraMock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
