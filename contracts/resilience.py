"""Client resilience under injected faults (the mock's ``POST /_mock/faults``).

Kartra documents one piece of advice: on "Too many requests" (429), wait one second and retry
(docs/behaviour.md#rate-limit). Beyond it, a client facing a broken answer (an HTML 5xx page, a
dropped connection, a slow answer) may report the failure or retry — but what it reports must match
what happened, and it must never submit a lead twice: a create_lead that reached Kartra and ran is
not sent again (the second would be refused with 244, and the caller told that its own new lead
"already exists"). These rules need a client under test and the mock's faults."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from contracts.calls import LeadData
from contracts.harness import ClientSide, Harness
from contracts.outcomes import TRANSPORT
from contracts.session import ContractViolation
from contracts.strategies import emails

__all__ = ["RETRY_WAIT", "no_double_submit", "retry_after_429", "server_errors"]

#: Kartra: "wait 1 second and retry" (documented, docs/behaviour.md#rate-limit). The gap is measured
#: on the server, from the end of the 429 answer to the next request; a little slack covers clocks.
RETRY_WAIT = 0.9


def _side(harness: Harness) -> ClientSide:
    if harness.client is None:
        raise RuntimeError("the resilience rules need a client under test")
    return harness.client


def _ran(entry: dict[str, Any]) -> bool:
    """Whether a journal entry is a call that reached the mock's logic and ran."""
    fault = entry.get("fault")
    return entry.get("status_code") == 200 and (fault is None or fault.get("kind") == "latency")


def _creates(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for entry in entries:
        actions = entry.get("params", {}).get("actions")
        steps = actions.values() if isinstance(actions, dict) else actions or []
        if any(isinstance(step, dict) and step.get("cmd") == "create_lead" for step in steps):
            found.append(entry)
    return found


def _no_double_submit(label: str, entries: list[dict[str, Any]]) -> None:
    ran = [entry for entry in _creates(entries) if _ran(entry)]
    if len(ran) > 1:
        answers = ", ".join(repr(entry.get("response")) for entry in ran)
        raise ContractViolation(
            f"{label}: create_lead reached Kartra and ran {len(ran)} times ({answers}); a "
            "create that ran must not be sent again (the retry is refused with 244)"
        )


def retry_after_429(harness: Harness) -> None:
    """After "Too many requests" the client waits about a second and retries, and the lead is
    created once (documented advice, docs/behaviour.md#rate-limit)."""
    side = _side(harness)
    profile = harness.profile

    @harness.settings(max_examples=profile.resilience_examples)
    @given(
        email=emails(),
        times=st.integers(1, profile.max_rate_limit_faults),
    )
    def waits_a_second_and_retries(email: str, times: int) -> None:
        label = f"create_lead after {times} 'Too many requests' answer(s)"

        def inspect(entries: list[dict[str, Any]]) -> None:
            ordered = sorted(entries, key=lambda entry: entry["seq"])
            for limited, following in itertools.pairwise(ordered):
                if limited.get("status_code") != 429:
                    continue
                answered = limited["time"] + limited.get("duration_ms", 0) / 1000
                gap = following["time"] - answered
                if gap < RETRY_WAIT:
                    raise ContractViolation(
                        f"{label}: the client retried {gap:.3f} s after the 429; Kartra says "
                        "to wait one second (docs/behaviour.md#rate-limit)"
                    )
            _no_double_submit(label, entries)

        with harness.checked_session() as session:
            data = LeadData(email=session.email(email))
            side.control.schedule_fault(
                {
                    "kind": "rate_limit",
                    "api_key": side.api_key,
                    "app_id": side.app_id,
                    "times": times,
                }
            )
            session.create_lead_under_fault(data, may_fail=False, inspect=inspect)

    waits_a_second_and_retries()


def server_errors(harness: Harness) -> None:
    """An HTML 5xx page or a dropped connection is reported as a failure (or retried), never
    as success; a lead exists exactly when the client says it was created."""
    side = _side(harness)
    faults: st.SearchStrategy[dict[str, object]] = st.one_of(
        st.builds(dict, kind=st.just("server_error"), status=st.sampled_from([500, 502, 503, 504])),
        st.builds(dict, kind=st.just("drop")),
    )

    @harness.settings(max_examples=harness.profile.resilience_examples * 2)
    @given(email=emails(), fault=faults, times=st.integers(1, 2))
    @example(email="Ada@example.com", fault={"kind": "drop"}, times=1)
    @example(email="Ada@example.com", fault={"kind": "server_error"}, times=2)
    def failures_are_reported(email: str, fault: dict[str, object], times: int) -> None:
        label = f"create_lead answered {fault} {times} time(s)"
        with harness.checked_session() as session:
            data = LeadData(email=session.email(email))
            side.control.schedule_fault(
                {**fault, "api_key": side.api_key, "app_id": side.app_id, "times": times}
            )
            outcome, exists = session.create_lead_under_fault(
                data, may_fail=True, inspect=lambda entries: _no_double_submit(label, entries)
            )
            if outcome.error == TRANSPORT and exists:
                raise ContractViolation(
                    f"{label}: the client reported a failure ({outcome.detail}), yet a retry "
                    "of its own created the lead"
                )

    failures_are_reported()


def no_double_submit(harness: Harness) -> None:
    """A slow answer is still Kartra's answer: the client reports it (or gives up), and never
    sends the create again once it has run."""
    side = _side(harness)

    @harness.settings(max_examples=harness.profile.resilience_examples * 2)
    @given(
        email=emails(),
        latency=st.integers(20, max(20, harness.profile.max_latency_ms)),
    )
    @example(email="Ada@example.com", latency=20)
    def slow_answers_are_answers(email: str, latency: int) -> None:
        label = f"create_lead answered after {latency} ms"
        with harness.checked_session() as session:
            data = LeadData(email=session.email(email))
            side.control.schedule_fault(
                {
                    "kind": "latency",
                    "latency_ms": latency,
                    "api_key": side.api_key,
                    "app_id": side.app_id,
                }
            )
            session.create_lead_under_fault(
                data, may_fail=True, inspect=lambda entries: _no_double_submit(label, entries)
            )

    slow_answers_are_answers()
