"""The package's surface: its exports, its profiles, its report, and the machine's examples."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from hypothesis import settings

import contracts
from contracts import check_client, profiles
from contracts.report import Report, RuleResult, Status, hypothesis_example
from contracts.suite import RULES, select
from tests.contracts.wrong_clients import LowercasesEmails, adapting
from tests.helpers import WITHOUT_HYPOTHESIS


def test_the_public_api_is_pinned() -> None:
    assert contracts.__all__ == [
        "RULES",
        "TRANSPORT",
        "Action",
        "ActionOutcome",
        "Adapter",
        "AdapterFactory",
        "AsyncReferenceClientAdapter",
        "Chain",
        "ContractFailure",
        "CustomEntry",
        "HttpAdapter",
        "Identity",
        "LeadData",
        "LeadView",
        "Outcome",
        "ReferenceClientAdapter",
        "Report",
        "RuleResult",
        "Target",
        "Unsupported",
        "async_reference_client",
        "check_client",
        "check_webhook_handler",
        "profiles",
        "reference_client",
        "verify_server",
    ]
    for name in contracts.__all__:
        assert getattr(contracts, name) is not None


def test_every_rule_has_an_id_a_summary_and_a_source_tag() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.source in {"documented", "observed", "inferred"}
        assert rule.summary


def test_rules_are_chosen_by_id_or_prefix_in_suite_order() -> None:
    assert [rule.id for rule in select(["resilience.retry-after-429", "chains"])] == [
        "chains.per-action-results",
        "chains.lead-command-first",
        "resilience.retry-after-429",
    ]
    with pytest.raises(ValueError, match="unknown rule 'lead'"):
        select(["lead"])


def test_profiles_ci_is_small_and_fixed_thorough_is_not() -> None:
    ci, thorough = profiles.get("ci"), profiles.get("thorough")
    assert ci.settings().derandomize is True
    assert ci.settings().database is None
    assert thorough.settings().derandomize is False
    assert thorough.max_examples > ci.max_examples
    assert thorough.stateful_steps > ci.stateful_steps
    with pytest.raises(ValueError, match="choose one of ci, thorough"):
        profiles.get("fast")


def test_the_profiles_can_be_registered_with_hypothesis() -> None:
    profiles.register_hypothesis_profiles()
    assert settings.get_profile("kartra-mock-thorough").max_examples == 200


def test_a_report_renders_each_rule_and_serialises_as_json() -> None:
    report = Report(
        "server at http://x/api",
        "ci",
        (
            RuleResult("a.one", "first", "documented", Status.PASSED, 0.1),
            RuleResult("a.two", "second", "inferred", Status.FAILED, 0.2, "what broke", "f(x=1)"),
            RuleResult("a.three", "third", "observed", Status.SKIPPED, detail="needs more"),
        ),
        {"create_lead": 3},
    )
    text = report.render()
    assert "pass  a.one" in text
    assert "FAIL  a.two" in text
    assert "      Minimal failing example:\n        f(x=1)" in text
    assert "skip  a.three" in text
    assert "3 rules: 1 passed, 1 failed, 1 skipped" in text
    assert not report.ok
    assert json.loads(json.dumps(report.to_json()))["results"][1]["status"] == "failed"


def test_a_reports_json_holds_every_field() -> None:
    failed = RuleResult("a.two", "second", "inferred", Status.FAILED, 0.12345, "broke", "f(x=1)")
    report = Report("server", "ci", (failed,), {"create_lead": 3}, {"wire.json-body": 1})
    assert report.to_json() == {
        "ok": False,
        "target": "server",
        "profile": "ci",
        "results": [
            {
                "rule": "a.two",
                "summary": "second",
                "source": "inferred",
                "status": "failed",
                "seconds": 0.123,
                "detail": "broke",
                "example": "f(x=1)",
            }
        ],
        "exercised": {"create_lead": 3},
        "accepted": {"wire.json-body": 1},
    }


def test_the_example_drops_hypothesis_boilerplate_and_the_invariants_lines() -> None:
    error = AssertionError("boom")
    error.add_note("Failing test case: <state machine>\nstate = LeadMachine()")
    error.add_note("state.every_lead_reads_back_as_the_model_has_it()")
    error.add_note("state.teardown()")
    error.add_note("You can reproduce this example by temporarily adding @reproduce_failure")
    assert hypothesis_example(error) == "state = LeadMachine()\nstate.teardown()"


@pytest.mark.slow
def test_the_state_machine_shrinks_to_a_readable_sequence_of_calls() -> None:
    # Short sequences: shrinking a long one replays it hundreds of times.
    short = dataclasses.replace(profiles.CI, stateful_steps=4)
    report = check_client(
        adapting(LowercasesEmails), rules=["leads.stateful"], profile=short, raise_on_failure=False
    )
    (failure,) = report.failures
    lines = failure.example.splitlines()
    assert lines[0] == "state = LeadMachine()"
    assert "state.create_lead(lead=LeadData(" in failure.example
    assert lines[-1] == "state.teardown()"
    assert "every_lead_reads_back" not in failure.example
    assert "email is 'a" in failure.detail


@pytest.mark.subprocess
def test_without_hypothesis_importing_the_kit_says_what_is_missing() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_HYPOTHESIS + "import contracts"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "ModuleNotFoundError: the contracts kit needs hypothesis, which this environment lacks: "
        "pip install 'hypothesis>=6.100' (a plain `pip install kartra-mock` brings it)"
    )


@pytest.mark.subprocess
def test_without_hypothesis_verify_is_one_error_line() -> None:
    code = WITHOUT_HYPOTHESIS + "from kartra_mock.cli import main\nsys.exit(main(['verify']))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.startswith("kartra-mock: verify is not available here: the contracts kit")
    assert "Traceback" not in result.stderr
