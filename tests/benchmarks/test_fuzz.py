"""The fuzz command's plumbing, with a few requests: no figures are asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import fuzz
from benchmarks.fuzz_inputs import FAULT_SCOPE, HUGE_EVERY, KINDS, generate
from benchmarks.fuzz_report import END, START, Tally, carry_fuzz_section, splice_fuzz_section


def test_a_case_is_the_same_request_for_the_same_seed_and_number() -> None:
    assert generate(3, 17) == generate(3, 17)
    assert generate(3, 17) != generate(4, 17)


def test_every_kind_of_case_is_drawn() -> None:
    assert {generate(1, number).kind for number in range(600)} == set(KINDS)
    assert generate(1, HUGE_EVERY - 1).kind == "huge"


def test_scheduled_faults_only_touch_an_account_no_api_call_uses() -> None:
    for number in range(2000):
        request = generate(1, number)
        if request.target == "/_mock/faults" and request.body.startswith(b"{"):
            assert FAULT_SCOPE.encode() in request.body
        elif request.target.startswith("/api"):
            assert FAULT_SCOPE.encode() not in request.body


def test_a_tally_counts_5xx_hangs_and_unanswered_and_keeps_cases_to_replay() -> None:
    tally = Tally()
    for number, status in enumerate([200, 500, -1, 0, 503]):
        tally.record("form", number, status)
    assert (tally.count("5xx"), tally.count("hang"), tally.count("closed")) == (2, 1, 1)
    assert tally.samples == {"form 500": [1], "form hang": [2], "form unanswered": [3],
                             "form 503": [4]}  # fmt: skip


def test_the_results_section_is_replaced_and_survives_a_benchmark_run() -> None:
    once = splice_fuzz_section("# Benchmark results\n\nfigures\n", ["first"])
    twice = splice_fuzz_section(once, ["second"])
    assert twice.count(START) == 1
    assert "second" in twice
    assert "first" not in twice
    rerun = carry_fuzz_section("# Benchmark results\n\nnew figures\n", twice)
    assert "new figures" in rerun
    assert rerun.rstrip().endswith(END)
    assert "second" in rerun


@pytest.mark.socket
@pytest.mark.subprocess
def test_a_short_run_against_a_real_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "RESULTS.md"
    assert fuzz.main(["--count", "60", "--concurrency", "4", "--output", str(results)]) == 0
    out = capsys.readouterr().out
    assert "60 requests" in out
    assert "| HTTP 5xx | 0 | 0 |" in results.read_text("utf-8")
