"""``check_client``: the contract suite against *your* client, running against the mock.

For every example the mock is reset to the contracts' world (:mod:`contracts.world`), your
``factory`` builds an adapter around a fresh client bound to it (:class:`~contracts.api.Target`),
and every call the client makes must agree with the model; an independent observer reads the leads
back after each call, and the client's requests must raise no contract warning
(docs/contracts.md#contract-warnings) beyond those its data asks for. With the mock's faults, the
client must also wait and retry after 429, and never submit a lead twice.

Example::

    from contracts import check_client
    from contracts.api import reference_client

    def test_the_reference_client_keeps_kartras_contract() -> None:
        check_client(reference_client())
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx

from contracts import profiles
from contracts.api import AdapterFactory, Target
from contracts.harness import Capability, ClientSide, Harness
from contracts.http import HttpAdapter
from contracts.model import Model
from contracts.report import ContractFailure, Report
from contracts.session import JournalWatch, Session
from contracts.suite import Progress, run_suite, select
from contracts.world import (
    API_KEY,
    API_PASSWORD,
    CLIENT_APP_ID,
    OBSERVER_APP_ID,
    world_document,
)
from kartra_mock.client.control import ControlPlane
from kartra_mock.protocol.rules import check_rule_ids
from kartra_mock.testing import KartraMock

__all__ = ["check_client"]


def _name(factory: AdapterFactory) -> str:
    return str(getattr(factory, "__qualname__", None) or repr(factory))


def check_client(
    factory: AdapterFactory,
    *,
    profile: str | profiles.Profile = "ci",
    mock: KartraMock | None = None,
    rules: Iterable[str] | None = None,
    accept: Iterable[str] = (),
    resilience: bool = True,
    progress: Progress | None = None,
    fail_fast: bool = False,
    raise_on_failure: bool = True,
) -> Report:
    """Run the contract suite against the client ``factory(target)`` adapts.

    ``mock`` is the mock to run against (default: a fresh in-process one; give
    ``KartraMock.remote(url)`` for a client that needs a real socket) — its world is replaced.
    ``resilience=False`` leaves out the fault rules (they wait real seconds on 429s).
    ``accept`` names contract rules (e.g. ``["wire.json-body", "wire.query-string"]``) whose
    warnings the client's requests may raise: they are counted in the report's ``accepted``,
    not failed on; an unknown name raises :class:`ValueError` listing the valid ones.
    Returns the :class:`Report`; raises :class:`ContractFailure` when a rule failed, unless
    ``raise_on_failure=False``.
    """
    chosen = select(rules)
    accepted_rules = sorted(check_rule_ids(accept))
    document = world_document()
    if accepted_rules:
        settings = document.setdefault("settings", {})
        assert isinstance(settings, dict)
        settings["accept_rules"] = accepted_rules
    accepted: Counter[str] = Counter()
    if not resilience:
        chosen = tuple(rule for rule in chosen if Capability.CLIENT not in rule.needs)
    profile = profiles.get(profile)
    own = mock is None
    handle = KartraMock.in_process(document) if mock is None else mock
    if not own:
        handle.load_state(document)
    transport = handle.transport
    control_http = httpx.Client(base_url=handle.url, transport=transport(), timeout=30)
    control = ControlPlane(control_http)
    observer = HttpAdapter(
        handle.api_url,
        app_id=OBSERVER_APP_ID,
        api_key=API_KEY,
        api_password=API_PASSWORD,
        transport=transport(),
    )
    try:
        schema = observer.retrieve_schema()

        @contextmanager
        def open_session() -> Iterator[Session]:
            control.reset()
            sync_transport = transport()
            target = Target(
                handle.api_url,
                CLIENT_APP_ID,
                API_KEY,
                API_PASSWORD,
                transport=sync_transport,
                async_transport=handle.async_transport(),
            )
            adapter = factory(target)
            try:
                session = Session(
                    sut=adapter,
                    observer=observer,
                    model=Model(schema),
                    control=control,
                    journal=JournalWatch(control, API_KEY, CLIENT_APP_ID),
                    api_key=API_KEY,
                    exercised=harness.exercised,
                    accepted=accepted,
                )
                yield session
                session.check_requests()  # once the example's calls went well
            finally:
                adapter.close()
                if sync_transport is not None:
                    sync_transport.close()

        harness = Harness(
            schema,
            frozenset({Capability.CONTROL, Capability.MOCK, Capability.CLIENT}),
            profile,
            open_session,
            client=ClientSide(control, API_KEY, CLIENT_APP_ID),
        )
        target = f"client {_name(factory)} against the mock at {handle.url}"
        report = run_suite(harness, target, chosen, progress=progress, fail_fast=fail_fast)
    finally:
        observer.close()
        control_http.close()
        if own:
            handle.close()
    report = replace(report, accepted=dict(accepted))
    if raise_on_failure and not report.ok:
        raise ContractFailure(report)
    return report
