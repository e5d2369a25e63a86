"""pytest plugin: a clean Kartra mock for every test, in-process or over a real socket.

Fixtures (all prefixed ``kartra_``):

* ``kartra_inprocess`` — a fresh in-process mock per test (a
  :class:`~kartra_mock.testing.KartraMock`); calls to ``https://app.kartra.com`` through httpx or
  ``requests`` reach it unchanged (``kartra_mock``, its old name, is a deprecated alias: it
  shadowed the package in any test that imports ``kartra_mock``);
* ``kartra_server`` — one real uvicorn server per session (per xdist worker);
* ``kartra_live`` — that server, reset for this test; ``.url`` is its root, ``.api_url`` the
  endpoint to give code in any language;
* ``kartra_client`` — a reference client bound to whichever of the two the test uses;
* ``kartra_receiver`` — a :class:`~kartra_mock.outbound.receiver.Receiver` on a real socket
  (``.url``) collecting the mock's webhooks and IPNs; ``wait_for(event, count=, timeout=)``.

Configure with ``@pytest.mark.kartra(state=..., strict_auth=..., rate_limit=...,
fail_on_warnings=..., accept_rules=[...], intercept=...)``; ``--kartra-fail-on-warnings`` fails
every test whose calls raised contract warnings, ``--kartra-accept-rule RULE`` reports a rule's
warnings as accepted (listed at the end of the run) instead. Importing this module is cheap:
the mock loads in the fixtures.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx

    from kartra_mock.client import KartraClient
    from kartra_mock.engine.backend import Backend
    from kartra_mock.outbound.receiver import Receiver
    from kartra_mock.server.threaded import ThreadedServer
    from kartra_mock.testing.handle import KartraMock

__all__ = [
    "MockConfig",
    "kartra_client",
    "kartra_inprocess",
    "kartra_live",
    "kartra_mock",
    "kartra_receiver",
    "kartra_server",
]

_MARKER = "kartra"
_OPTION = "--kartra-fail-on-warnings"
_ACCEPT_OPTION = "--kartra-accept-rule"
_KEYS = frozenset(
    {"state", "strict_auth", "rate_limit", "fail_on_warnings", "accept_rules", "intercept"}
)
#: The accepted warnings of the run, counted by rule, for the terminal summary.
_ACCEPTED = pytest.StashKey[dict[str, int]]()
#: The session server ``kartra_server`` started, and its engine, which ``kartra_live`` resets
#: directly: no HTTP round trips per test (a server of the user's own is reset over HTTP).
_OWN_SERVER = pytest.StashKey["tuple[ThreadedServer, Backend]"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--kartra-fail-on-warnings`` and ``--kartra-accept-rule``."""
    group = parser.getgroup("kartra-mock")
    group.addoption(
        _OPTION,
        action="store_true",
        default=False,
        help="fail every test whose calls to the Kartra mock raised contract warnings",
    )
    group.addoption(
        _ACCEPT_OPTION,
        action="append",
        default=[],
        metavar="RULE",
        help="report this contract rule's warnings as accepted, not as failures (repeatable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``kartra`` marker."""
    config.addinivalue_line(
        "markers",
        "kartra(state=None, strict_auth=False, rate_limit=20, fail_on_warnings=None, "
        "accept_rules=(), intercept=True): configure the Kartra mock fixtures for this test "
        "or module",
    )
    config.stash[_ACCEPTED] = {}


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """List the accepted contract warnings of the run: accepted, not silenced."""
    accepted = config.stash.get(_ACCEPTED, {})
    if accepted:
        terminalreporter.write_sep("-", "kartra-mock: accepted contract warnings")
        for rule, count in sorted(accepted.items()):
            terminalreporter.write_line(f"{count:6d}  {rule}")


@dataclass(frozen=True, slots=True)
class MockConfig:
    """A test's mock settings, from its ``kartra`` markers (the closest wins, key by key)."""

    state: Mapping[str, object] | None = None
    strict_auth: bool = False
    rate_limit: int = 20
    fail_on_warnings: bool = False
    accept_rules: tuple[str, ...] = ()
    intercept: bool = True

    def document(self) -> dict[str, Any]:
        """The state document a real server loads for this test."""
        from kartra_mock.engine.state import DEFAULT_DOCUMENT

        document: dict[str, Any] = copy.deepcopy(dict(self.state or DEFAULT_DOCUMENT))
        if self.strict_auth:
            document["auth"] = "strict"
        settings: dict[str, Any] = dict(document.get("settings") or {})
        settings["rate_limit"] = self.rate_limit
        if self.accept_rules:
            settings["accept_rules"] = sorted(
                {*settings.get("accept_rules", ()), *self.accept_rules}
            )
        document["settings"] = settings
        return document


def _load_state(value: object) -> Mapping[str, object] | None:
    if value is None or isinstance(value, Mapping):
        return value
    if isinstance(value, str | Path):
        try:
            loaded = json.loads(Path(value).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise pytest.UsageError(f"@pytest.mark.kartra(state={value!r}): {exc}") from exc
        if not isinstance(loaded, dict):
            raise pytest.UsageError(f"@pytest.mark.kartra(state={value!r}): not a JSON object")
        return loaded
    raise pytest.UsageError(
        "@pytest.mark.kartra(state=...) takes a state document (dict) or the path of a JSON file"
    )


def _config(request: pytest.FixtureRequest) -> MockConfig:
    chosen: dict[str, Any] = {}
    for marker in request.node.iter_markers(_MARKER):
        if marker.args:
            raise pytest.UsageError("@pytest.mark.kartra takes keyword arguments only")
        unknown = sorted(set(marker.kwargs) - _KEYS)
        if unknown:
            raise pytest.UsageError(
                f"@pytest.mark.kartra: unknown option {unknown[0]!r} "
                f"(options: {', '.join(sorted(_KEYS))})"
            )
        for key, value in marker.kwargs.items():
            chosen.setdefault(key, value)
    if chosen.get("fail_on_warnings") is None:
        chosen["fail_on_warnings"] = bool(request.config.getoption(_OPTION))
    chosen["state"] = _load_state(chosen.get("state"))
    chosen["accept_rules"] = _accept_rules(
        chosen.get("accept_rules", ()), request.config.getoption(_ACCEPT_OPTION)
    )
    return MockConfig(**chosen)


def _accept_rules(marked: object, given: list[str]) -> tuple[str, ...]:
    from kartra_mock.protocol.rules import UnknownRuleError, check_rule_ids

    if isinstance(marked, str) or not isinstance(marked, list | tuple | set | frozenset):
        raise pytest.UsageError("@pytest.mark.kartra(accept_rules=...) takes a list of rule ids")
    try:
        return tuple(sorted(check_rule_ids([*map(str, marked), *given])))
    except UnknownRuleError as exc:
        raise pytest.UsageError(f"kartra-mock accept_rules: {exc}") from None


def _check_warnings(
    found: list[dict[str, Any]], config: MockConfig, pytest_config: pytest.Config
) -> None:
    """Count the accepted warnings of ``found`` (the journal's); fail on the others if asked."""
    if not found:
        return
    tally = pytest_config.stash.get(_ACCEPTED, {})
    for warning in found:
        if warning.get("accepted"):
            tally[warning["rule"]] = tally.get(warning["rule"], 0) + 1
    if not config.fail_on_warnings:
        return
    warnings = [warning for warning in found if not warning.get("accepted")]
    if warnings:
        lines = "\n".join(
            f"  - {w['rule']}: {w['detail']} ({w['source']}; {w['reference']})" for w in warnings
        )
        pytest.fail(
            f"the calls to the Kartra mock raised {len(warnings)} contract warning(s):\n{lines}\n"
            "Fix the calls (see the rule's reference), accept a rule with "
            "@pytest.mark.kartra(accept_rules=[...]) or --kartra-accept-rule RULE, or allow "
            "them for this test with @pytest.mark.kartra(fail_on_warnings=False).",
            pytrace=False,
        )


@pytest.fixture
def kartra_inprocess(request: pytest.FixtureRequest) -> Iterator[KartraMock]:
    """A fresh in-process Kartra mock; calls to app.kartra.com reach it."""
    from kartra_mock.domain.model import AuthMode
    from kartra_mock.testing.handle import KartraMock

    config = _config(request)
    try:
        mock = KartraMock.in_process(
            config.state,
            auth=AuthMode.STRICT if config.strict_auth else None,
            rate_limit=config.rate_limit,
            accept_rules=frozenset(config.accept_rules),
        )
    except ValueError as exc:
        raise pytest.UsageError(f"@pytest.mark.kartra(state=...): {exc}") from exc
    guard = mock.intercept() if config.intercept else contextlib.nullcontext()
    with guard:
        yield mock
    try:
        _check_warnings(mock._all_warnings(), config, request.config)
    finally:
        mock.close()


@pytest.fixture
def kartra_mock(kartra_inprocess: KartraMock) -> KartraMock:
    """Deprecated alias of ``kartra_inprocess`` (the old name shadowed the package)."""
    import warnings

    warnings.warn(
        "the kartra_mock fixture is deprecated: use kartra_inprocess (same mock; the old name "
        "shadows the kartra_mock package in tests that import it)",
        DeprecationWarning,
        stacklevel=2,
    )
    return kartra_inprocess


@pytest.fixture(scope="session")
def kartra_server(request: pytest.FixtureRequest) -> Iterator[ThreadedServer]:
    """One real Kartra mock server on 127.0.0.1 and a free port, for the whole session."""
    from kartra_mock.engine.backend import Backend
    from kartra_mock.server.app import create_app
    from kartra_mock.server.threaded import ThreadedServer

    backend = Backend()
    with ThreadedServer(create_app(backend=backend)) as server:
        request.config.stash[_OWN_SERVER] = (server, backend)
        try:
            yield server
        finally:
            del request.config.stash[_OWN_SERVER]


@pytest.fixture(scope="session")
def _kartra_live_http(kartra_server: ThreadedServer) -> Iterator[httpx.Client]:
    """One connection pool to the session's server, shared by every ``kartra_live`` (its control
    plane) and every ``kartra_client`` bound to it.

    A client per test cost ~20–45 ms (its TLS context alone); one kept open costs nothing per
    test. Its timeout is the reference client's default.
    """
    import httpx

    from kartra_mock.client.core import DEFAULT_TIMEOUT

    with httpx.Client(base_url=kartra_server.url, timeout=DEFAULT_TIMEOUT) as http:
        yield http


@pytest.fixture
def kartra_live(
    kartra_server: ThreadedServer,
    _kartra_live_http: httpx.Client,
    request: pytest.FixtureRequest,
) -> Iterator[KartraMock]:
    """The session's real server, reset for this test; ``.url`` is its base URL."""
    from kartra_mock.testing.handle import KartraMock, journal_warnings

    config = _config(request)
    # Not closed after the test: the connection is the session's.
    mock = KartraMock(_kartra_live_http, kartra_server.url)
    own = request.config.stash.get(_OWN_SERVER, None)
    backend = own[1] if own is not None and own[0] is kartra_server else None
    if backend is None:  # kartra_server overridden with a server of the user's: over HTTP
        mock.load_state(config.document())
        mock.reset()
    else:  # the plugin's own server: its engine directly, as its control plane would
        _reset_to(backend, config.document())
    yield mock
    found = mock._all_warnings() if backend is None else journal_warnings(backend)
    _check_warnings(found, config, request.config)


def _reset_to(backend: Backend, document: dict[str, Any]) -> None:
    """Load ``document`` into ``backend`` and reset it (``PUT /_mock/state``, ``POST /reset``)."""
    from kartra_mock.engine.state_checks import StateError
    from kartra_mock.testing.handle import MockError

    try:
        backend.put_state(document)
    except StateError as exc:
        raise MockError(f"invalid state document: {exc}") from None
    backend.reset()


@pytest.fixture
def kartra_client(request: pytest.FixtureRequest) -> Iterator[KartraClient]:
    """A reference client bound to ``kartra_live`` when used, else ``kartra_inprocess``."""
    if "kartra_live" in request.fixturenames:
        mock: KartraMock = request.getfixturevalue("kartra_live")
        # The session's connection pool (not closed with the client): no TLS context per test.
        options = {"http_client": request.getfixturevalue("_kartra_live_http")}
    else:
        mock = request.getfixturevalue("kartra_inprocess")
        options = {}
    with mock.client(**options) as client:
        yield client


@pytest.fixture
def kartra_receiver() -> Iterator[Receiver]:
    """A receiver of webhooks and IPNs on 127.0.0.1 and a free port; ``.url`` is its base URL."""
    from kartra_mock.outbound.receiver import Receiver

    with Receiver.serve() as receiver:
        yield receiver
