"""``kartra-mock verify``: a conformance report on stdout, exit status 1 on a failed rule."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

import pytest

from kartra_mock.cli import main
from kartra_mock.engine.state import DEFAULT_DOCUMENT
from tests.contracts.servers import mock_app, numeric_types, on_a_socket, rewriting_answers
from tests.serving import free_port

pytestmark = [pytest.mark.slow, pytest.mark.socket]


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """The mock's built-in world (demo credentials) on a socket, rate limit off."""
    with on_a_socket(mock_app(copy.deepcopy(DEFAULT_DOCUMENT))) as url:
        yield url


def test_verify_prints_each_rule_and_passes_against_the_mock(
    mock_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--base-url", mock_url]) == 0
    out = capsys.readouterr().out
    assert "pass  leads.stateful" in out
    assert "pass  leads.deleted-is-245" in out
    assert "13 rules: 13 passed, 0 failed, 0 skipped" in out


def test_verify_fails_with_a_minimal_example_against_a_broken_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = rewriting_answers(mock_app(copy.deepcopy(DEFAULT_DOCUMENT)), numeric_types)
    with on_a_socket(broken) as url:
        status = main(["verify", "--base-url", url, "--rule", "leads.duplicate-is-244"])
    out = capsys.readouterr().out
    assert status == 1
    assert "FAIL  leads.duplicate-is-244" in out
    assert "expected a JSON string" in out
    assert "Minimal failing example:" in out
    assert "creating_twice_is_244(" in out


def test_verify_json_puts_the_report_on_stdout_and_progress_on_stderr(
    mock_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--base-url", mock_url + "/api", "--rule", "chains", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] is True
    assert [result["rule"] for result in report["results"]] == [
        "chains.per-action-results",
        "chains.lead-command-first",
    ]
    assert "pass  chains.per-action-results" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--base-url", "https://app.kartra.com"], "pass real_kartra=True"),
        (["--base-url", "https://app.kartra.com", "--real-kartra"], "needs --app-id"),
        (["--rule", "leads.nope"], "unknown rule 'leads.nope'"),
    ],
)
def test_verify_refuses_what_it_cannot_do(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", *argv]) == 2
    assert message in capsys.readouterr().err


def test_verify_says_so_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert main(["verify", "--base-url", url]) == 2
    assert f"cannot verify {url}" in capsys.readouterr().err
