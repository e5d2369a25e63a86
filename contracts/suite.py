"""The rules of the contract suite, and the runner that turns them into a :class:`Report`.

Each rule is one documented (or observed, or inferred) behaviour; the focused ones come first,
so that a bug is named by the narrowest rule that sees it, then the state machine, then the
client's resilience. A rule runs only when the target offers what it needs.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from contracts import resilience, scenarios
from contracts.harness import Capability, Harness
from contracts.machine import run_lead_machine
from contracts.report import Report, RuleResult, Status, hypothesis_example

__all__ = ["RULES", "ContractRule", "Progress", "run_suite", "select"]

Progress = Callable[[RuleResult], None]


@dataclass(frozen=True, slots=True)
class ContractRule:
    """A named behaviour, how we know it, what it needs, and how to check it."""

    id: str
    summary: str
    source: str
    run: Callable[[Harness], None]
    needs: frozenset[Capability] = frozenset()


_C, _M, _R, _K = Capability.CONTROL, Capability.MOCK, Capability.RAW, Capability.CLIENT
#: What says which way a run goes: a rule needing the other one is left out, not skipped.
_DIRECTIONS = frozenset({_R, _K})

RULES: tuple[ContractRule, ...] = (
    ContractRule(
        "leads.create-and-read",
        "a created lead reads back as sent; a refused create leaves nothing",
        "documented",
        scenarios.create_and_read,
    ),
    ContractRule(
        "leads.duplicate-is-244",
        "create_lead on an existing email (any case) or id is 244 and changes nothing",
        "documented",
        scenarios.duplicate_is_244,
    ),
    ContractRule(
        "leads.email-case-insensitive",
        "an email in another case finds the lead; the first spelling stays",
        "documented",
        scenarios.email_case_insensitive,
    ),
    ContractRule(
        "leads.id-beats-email",
        "with both id and email, the id names the lead",
        "documented",
        scenarios.id_beats_email,
    ),
    ContractRule(
        "leads.new-email",
        "edit_lead's new_email moves the lead; a taken address is 244",
        "documented",
        scenarios.new_email,
    ),
    ContractRule(
        "leads.missing-is-243",
        "a call naming no lead is 243 (get_lead 234), naming none at all 206",
        "documented",
        scenarios.missing_is_243,
    ),
    ContractRule(
        "leads.deleted-is-245",
        "a deleted lead is 245 and keeps its email (244 on reuse)",
        "documented",
        scenarios.deleted_is_245,
        frozenset({_C, _M}),
    ),
    ContractRule(
        "leads.custom-fields",
        "custom-field values by type; wrong format 271; unknown identifier ignored",
        "documented",
        scenarios.custom_fields_by_type,
    ),
    ContractRule(
        "leads.profile-fields",
        "fields stored as sent, '' clears; bad time zone / business_type not stored",
        "inferred",
        scenarios.profile_fields,
    ),
    ContractRule(
        "actions.round-trip",
        "each tag and list action reads back with get_lead (unsubscribed lists are inactive)",
        "documented",
        scenarios.actions_round_trip,
    ),
    ContractRule(
        "chains.per-action-results",
        "each action of a chain reports its own result; failures do not stop the rest",
        "observed",
        scenarios.chains_per_action_results,
    ),
    ContractRule(
        "chains.lead-command-first",
        "a lead command after actions[0] is refused (901) and changes nothing",
        "inferred",
        scenarios.chains_lead_command_first,
        frozenset({_M, _R}),
    ),
    ContractRule(
        "leads.stateful",
        "random sequences of lead calls behave as the model does",
        "documented",
        run_lead_machine,
    ),
    ContractRule(
        "resilience.retry-after-429",
        "after 'Too many requests' the client waits a second and retries",
        "documented",
        resilience.retry_after_429,
        frozenset({_K}),
    ),
    ContractRule(
        "resilience.server-errors",
        "5xx pages and dropped connections are failures, never success",
        "inferred",
        resilience.server_errors,
        frozenset({_K}),
    ),
    ContractRule(
        "resilience.no-double-submit",
        "a slow answer is an answer: a create that ran is never sent again",
        "inferred",
        resilience.no_double_submit,
        frozenset({_K}),
    ),
)


def select(ids: Iterable[str] | None) -> tuple[ContractRule, ...]:
    """The rules with these ids (or ids starting with ``prefix.``), in suite order; all if
    ``None``. Unknown ids raise :class:`ValueError`."""
    if ids is None:
        return RULES
    wanted = list(ids)
    chosen = [
        rule for rule in RULES if any(rule.id == w or rule.id.startswith(f"{w}.") for w in wanted)
    ]
    known = {rule.id for rule in RULES} | {rule.id.split(".")[0] for rule in RULES}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise ValueError(f"unknown rule {unknown[0]!r}; rules: {', '.join(r.id for r in RULES)}")
    return tuple(chosen)


def _run(rule: ContractRule, harness: Harness) -> RuleResult:
    missing = sorted(need.value for need in rule.needs - harness.capabilities)
    if missing:
        return RuleResult(
            rule.id, rule.summary, rule.source, Status.SKIPPED, detail=f"needs {', '.join(missing)}"
        )
    started = time.perf_counter()
    try:
        rule.run(harness)
    except AssertionError as exc:
        status, detail, example = Status.FAILED, str(exc), hypothesis_example(exc)
    except Exception as exc:  # an adapter's or a server's crash is a failure too, with where
        frames = "".join(traceback.format_tb(exc.__traceback__, limit=-3))
        detail = f"{frames}{type(exc).__name__}: {exc}"
        status, example = Status.FAILED, hypothesis_example(exc)
    else:
        status, detail, example = Status.PASSED, "", ""
    seconds = time.perf_counter() - started
    return RuleResult(rule.id, rule.summary, rule.source, status, seconds, detail, example)


def run_suite(
    harness: Harness,
    target: str,
    rules: Iterable[ContractRule] = RULES,
    *,
    progress: Progress | None = None,
    fail_fast: bool = False,
) -> Report:
    """Run ``rules`` against the harness; ``progress`` hears of each rule as it finishes."""
    results: list[RuleResult] = []
    for rule in rules:
        if rule.needs & _DIRECTIONS - harness.capabilities:
            continue  # a rule of the other direction (client or server): not this run's
        result = _run(rule, harness)
        results.append(result)
        if progress is not None:
            progress(result)
        if fail_fast and result.status is Status.FAILED:
            break
    return Report(target, harness.profile.name, tuple(results), dict(harness.exercised))
