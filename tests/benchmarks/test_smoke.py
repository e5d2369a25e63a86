"""The benchmark harness's pure helpers, so that it does not rot. No timings are asserted here."""

from __future__ import annotations

import asyncio
import json

import pytest

from benchmarks import __main__ as cli
from benchmarks import bare_app, http_load, scaling, state_document
from benchmarks.figures import Figure, Goal, at_least, at_most, format_value, median, percentile
from benchmarks.report import Machine, render_results, render_table
from benchmarks.settings import DEFAULT, QUICK
from kartra_mock.engine.backend import Backend
from kartra_mock.engine.state import load_world
from kartra_mock.server.app import create_app


def test_percentile_interpolates_between_closest_ranks() -> None:
    samples = [4.0, 1.0, 3.0, 2.0]
    assert percentile(samples, 0) == 1.0
    assert percentile(samples, 100) == 4.0
    assert percentile(samples, 50) == median(samples) == 2.5
    assert percentile(samples, 99) == pytest.approx(3.97)
    assert percentile([7.0], 99) == 7.0


@pytest.mark.parametrize("pct", [-1, 101])
def test_percentile_refuses_a_rank_outside_0_to_100(pct: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], pct)


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)


def test_goals_compare_in_their_direction() -> None:
    assert at_least(0.8, 0.75, "≥ 0.75") == Goal("≥ 0.75", True)
    assert not at_least(0.7, 0.75, "≥ 0.75").met
    assert at_most(1.1, 1.2, "≤ 1.2").met
    assert not at_most(1.3, 1.2, "≤ 1.2").met


def test_a_figure_says_whether_it_meets_its_goal() -> None:
    assert Figure("s", "n", 1.0, "×").verdict == ""
    assert Figure("s", "n", 0.9, "×", at_least(0.9, 0.75, "≥ 0.75")).verdict == "met"
    assert Figure("s", "n", 0.5, "×", at_least(0.5, 0.75, "≥ 0.75")).verdict == "NOT met"
    assert Figure("s", "n", None, "×", Goal("≥ 0.75", False)).verdict == "not measured"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (5120.4, "calls/s", "5,120 calls/s"),
        (0.9312, "×", "0.93×"),
        (1.844, "ms", "1.84 ms"),
        (0.25, "ms", "0.250 ms"),
        (312.4, "ms", "312 ms"),
        (61.58, "µs", "61.58 µs"),
        (0.213, "s", "0.213 s"),
        (156.24, "MB", "156.2 MB"),
        (1066.2, "B", "1,066 B"),
        (None, "ms", "—"),
    ],
)
def test_values_are_formatted_for_their_unit(value: float | None, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


def test_the_wrk_line_of_the_mix_script_is_parsed() -> None:
    output = (
        "Running 10s test @ http://127.0.0.1:1\n"
        "BENCH requests=50000 duration_us=10000000 errors_socket=1 errors_answer=2 "
        "answers=50000 p50=1500 p90=2500 p99=12000 max=40000\n"
    )
    run = http_load.parse_wrk(output)
    assert run.calls_per_second == 5000.0
    assert (run.p50_ms, run.p90_ms, run.p99_ms, run.max_ms) == (1.5, 2.5, 12.0, 40.0)
    assert (run.socket_errors, run.answer_errors) == (1, 2)


def test_wrk_output_without_the_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no BENCH line"):
        http_load.parse_wrk("PANIC: unprotected error in call to Lua API")


def test_the_table_and_results_show_every_figure_with_its_goal() -> None:
    figures = [
        Figure("http", "kartra-mock calls/s", 6200.0, "calls/s"),
        Figure("http", "ratio | bare", 0.82, "×", at_least(0.82, 0.75, "≥ 0.75")),
        Figure("contracts", "examples/s", None, "examples/s", note="not built yet"),
    ]
    table = render_table(figures)
    lines = table.splitlines()
    assert lines[0].split() == ["section", "figure", "value", "goal"]
    assert "6,200 calls/s" in lines[2]
    assert lines[3].endswith("met")
    machine = Machine((("CPU", "AMD EPYC"), ("cores", "2")))
    text = render_results(figures, machine, "python -m benchmarks --quick", ["a note"])
    assert text.startswith("# Benchmark results\n")
    assert "`python -m benchmarks --quick`" in text
    assert "| CPU | AMD EPYC |" in text
    assert "| http | ratio \\| bare | 0.82× | ≥ 0.75 | met |" in text
    assert "- **contracts / examples/s**: not built yet" in text
    assert "- a note" in text


def test_quick_settings_are_shorter_than_the_default() -> None:
    assert QUICK.http_seconds < DEFAULT.http_seconds
    assert max(QUICK.scaling_sizes) < max(DEFAULT.scaling_sizes) == 1_000_000
    assert DEFAULT.with_http_seconds(30).http_seconds == 30
    assert DEFAULT.with_http_seconds(None) is DEFAULT
    assert DEFAULT.with_http_repeats(0).http_repeats == 1


def test_an_unknown_section_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--only", "nope", "--no-write"])
    assert exited.value.code == 2
    assert "unknown section(s) nope" in capsys.readouterr().err


def test_the_seeded_worlds_load_as_state_documents() -> None:
    http_world = Backend(http_load.seed_document(3)).state()
    state_world = Backend(state_document.document_with(2)).state()
    leads = [lead["email"] for lead in _leads(http_world)]
    assert leads == ["seed-1@example.com", "seed-2@example.com", "seed-3@example.com"]
    assert [lead["tags"] for lead in _leads(state_world)] == [["Customer"], ["Customer"]]


def _leads(document: dict[str, object]) -> list[dict[str, object]]:
    accounts = document["accounts"]
    assert isinstance(accounts, list)
    leads = accounts[0]["leads"]
    assert isinstance(leads, list)
    return leads


def test_the_asgi_driver_reaches_the_mock_and_the_bare_app() -> None:
    body = b"app_id=demo-app&api_key=demo-key&api_password=demo-password" + (
        b"&lead%5Bemail%5D=ada%40example.com&actions%5B0%5D%5Bcmd%5D=create_lead"
    )
    answer = asyncio.run(scaling.asgi_post(create_app(), body))
    assert json.loads(answer)["actions"][0]["create_lead"]["status"] == "Success"
    assert asyncio.run(scaling.asgi_post(bare_app.app, body)) == bare_app.ANSWER
    assert bare_app.parse_body(body)["lead[email]"] == "ada@example.com"


def _measured(calls: int, cpu_us: float) -> http_load.Measured:
    run = http_load.WrkRun(calls, 1.0, 0, 0, 1.0, 2.0, 3.0, 4.0)
    return http_load.Measured(run, cpu_us)


def test_a_stacks_figures_compare_the_median_runs_with_the_goals() -> None:
    runs = {
        "bare starlette": [_measured(10_000, 60.0), _measured(8_000, 70.0), _measured(9_000, 65.0)],
        "kartra-mock": [_measured(6_000, 100.0), _measured(8_000, 90.0), _measured(7_200, 95.0)],
    }
    figures = {f.name: f for f in http_load.stack_figures("fast", runs, references=True)}
    assert figures["kartra-mock [fast] calls/s"].value == 7_200
    assert figures["bare starlette [fast] server CPU per call"].value == 65.0
    # The ratio is the median of the paired runs' ratios (0.6, 1.0, 0.8), not 7,200 / 9,000.
    ratio = figures["kartra-mock / bare starlette calls/s [fast]"]
    assert ratio.value == pytest.approx(0.8)
    assert ratio.verdict == "NOT met"
    assert "0.60–1.00×" in ratio.note
    tail = figures["kartra-mock / bare starlette p99 latency [fast]"]
    assert tail.value == pytest.approx(1.0)
    assert tail.verdict == "met"
    assert figures["bare starlette / kartra-mock CPU per call [fast]"].value == pytest.approx(
        65 / 95
    )
    prism = figures["kartra-mock / Prism (issue's figure, scaled)"]
    assert prism.value == pytest.approx(7_200 / (3_400 * 9_000 / 8_800))
    assert prism.verdict == "met"
    assert "unscaled ratio" in prism.note


def test_a_measured_peer_replaces_the_issues_figure() -> None:
    runs = {
        "bare starlette": [_measured(10_000, 60.0)],
        "kartra-mock": [_measured(7_000, 100.0)],
        "Mockoon": [_measured(2_000, 400.0)],
    }
    figures = {f.name: f for f in http_load.stack_figures("fast", runs, references=True)}
    assert figures["kartra-mock / Mockoon calls/s"].value == pytest.approx(3.5)
    assert figures["kartra-mock / Mockoon calls/s"].verdict == "met"
    assert "kartra-mock / Mockoon (issue's figure, scaled)" not in figures
    assert "kartra-mock / Prism (issue's figure, scaled)" in figures
    pure = {f.name for f in http_load.stack_figures("pure", runs, references=False)}
    assert not any("issue's figure" in name for name in pure)


def test_the_memory_composition_names_what_a_lead_holds() -> None:
    world = load_world(http_load.seed_document(4))
    parts = scaling.composition(world.accounts["demo-key"])
    assert {"Lead object", "profile dict", "indexes (leads, by_email)"} <= set(parts)
    assert all(size > 0 for size in parts.values())
