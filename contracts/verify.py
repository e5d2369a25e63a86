"""``verify_server``: the contract suite against any Kartra server — the mock, or the real one.

The contracts' own raw-HTTP client (:class:`~contracts.http.HttpAdapter`) makes every call, so
the server's envelopes are checked as well as its behaviour. Against the real Kartra (opt-in,
``real_kartra=True``, with an app's test-mode credentials) the suite only touches leads it
creates, at ``@kartra-mock-verify.example`` addresses with a random prefix per run; it never
deletes, never names a lead it did not create, and paces itself below Kartra's 20 calls per
second. The leads it creates stay in the account: delete them in Kartra's UI.

Example::

    report = contracts.verify_server("http://127.0.0.1:8765", "demo-app", "demo-key",
                                     "demo-password", progress=print)
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import httpx

from contracts import profiles
from contracts.harness import Capability, Harness
from contracts.http import HttpAdapter
from contracts.model import Model
from contracts.report import ContractFailure, Report
from contracts.session import Namespace, Session
from contracts.suite import Progress, run_suite, select
from kartra_mock.client.control import ControlPlane
from kartra_mock.client.throttle import Throttle

__all__ = ["REAL_KARTRA_RATE", "VERIFY_DOMAIN", "split_url", "verify_server"]

#: The domain of every address the suite creates when it verifies a server.
VERIFY_DOMAIN = "kartra-mock-verify.example"
#: Calls per second against the real Kartra: well below its documented 20
#: (docs/behaviour.md#rate-limit).
REAL_KARTRA_RATE = 15


class _Borrowed(httpx.BaseTransport):
    """A transport the caller owns: the suite uses it and leaves it open."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)

    def close(self) -> None:
        """The caller closes it."""


def split_url(base_url: str) -> tuple[str, str]:
    """The server's root and its ``/api`` endpoint, from either of them."""
    url = base_url.rstrip("/")
    if url.endswith("/api"):
        return url[: -len("/api")], url
    return url, f"{url}/api"


def _is_real_kartra(api_url: str) -> bool:
    host = httpx.URL(api_url).host
    return host == "kartra.com" or host.endswith(".kartra.com")


def verify_server(
    base_url: str,
    app_id: str,
    api_key: str,
    api_password: str,
    *,
    profile: str | profiles.Profile = "ci",
    real_kartra: bool = False,
    test_mode: bool = False,
    rules: Iterable[str] | None = None,
    transport: httpx.BaseTransport | None = None,
    max_rate: float | None = None,
    progress: Progress | None = None,
    fail_fast: bool = False,
    raise_on_failure: bool = True,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Report:
    """Run the contract suite against the server at ``base_url`` (its root or its ``/api``).

    ``real_kartra=True`` is required for ``*.kartra.com`` and turns off everything that needs a
    mock; ``test_mode`` says that the app is in Kartra's test mode (stored emails end in
    ``@kartra.com``). ``transport`` reaches an in-process server (it is not closed).
    ``max_rate`` caps calls per second (default: under the mock's own rate limit; 15 against
    Kartra). ``rules`` picks rules by id or prefix (``"leads"``). ``progress`` hears of each
    rule as it finishes. Returns the :class:`Report`; raises :class:`ContractFailure` when a
    rule failed, unless ``raise_on_failure=False``.
    """
    chosen = select(rules)
    profile = profiles.get(profile)
    root, api_url = split_url(base_url)
    if _is_real_kartra(api_url) and not real_kartra:
        raise ValueError(
            f"{api_url} is the real Kartra: pass real_kartra=True (--real-kartra) to verify it, "
            "with an app's test-mode credentials"
        )
    borrowed = None if transport is None else _Borrowed(transport)
    control_http = None if real_kartra else httpx.Client(base_url=root, transport=borrowed)
    control = None if control_http is None else ControlPlane.probe(control_http)
    rate = max_rate
    if real_kartra:
        rate = min(rate or REAL_KARTRA_RATE, REAL_KARTRA_RATE)
    elif rate is None and control is not None:
        limit = (control.state().get("settings") or {}).get("rate_limit")
        rate = max(1, int(limit) - 1) if isinstance(limit, int) and limit > 0 else None
    adapter = HttpAdapter(
        api_url,
        app_id=app_id,
        api_key=api_key,
        api_password=api_password,
        transport=borrowed,
        throttle=Throttle(max(1, int(rate))) if rate else None,
        sleep=sleep,
        clock=clock,
    )
    try:
        schema = adapter.retrieve_schema()
        capabilities = {Capability.RAW}
        if not real_kartra:
            capabilities.add(Capability.MOCK)
        if control is not None:
            capabilities.add(Capability.CONTROL)
        run = secrets.token_hex(4)
        counter = itertools.count(1)

        @contextmanager
        def open_session() -> Iterator[Session]:
            yield Session(
                sut=adapter,
                observer=adapter,
                model=Model(schema, test_mode=test_mode),
                control=control,
                namespace=Namespace(prefix=f"kmv{run}x{next(counter)}.", domain=VERIFY_DOMAIN),
                api_key=api_key,
                exercised=harness.exercised,
            )

        harness = Harness(schema, frozenset(capabilities), profile, open_session)
        kind = "the real Kartra" if real_kartra else "server"
        report = run_suite(
            harness, f"{kind} at {api_url}", chosen, progress=progress, fail_fast=fail_fast
        )
    finally:
        adapter.close()
        if control_http is not None:
            control_http.close()
    if raise_on_failure and not report.ok:
        raise ContractFailure(report)
    return report
