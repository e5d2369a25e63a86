"""``kartra-mock report``: the journal of a running mock, summed up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kartra_mock.cli import main
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing.report import summarize
from tests.helpers import DEMO, TLS, build_query

pytestmark = pytest.mark.socket

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def post(url: str, params: dict[str, Any], **credentials: str) -> None:
    body = build_query({**DEMO, **credentials, **params})
    httpx.post(url + "/api", content=body, headers=FORM, verify=TLS)


@pytest.fixture
def url() -> Iterator[str]:
    backend = Backend(overrides=Overrides(rate_limit=0))
    with ThreadedServer(create_app(backend=backend)) as server:
        post(  # an unknown lead field: a contract warning
            server.url,
            {"lead": {"email": "a@e.com", "colour": "red"}, "actions": [{"cmd": "create_lead"}]},
        )
        post(server.url, {"lead": {"email": "a@e.com"}, "actions": [{"cmd": "create_lead"}]})
        post(  # a chain whose second action fails with 212
            server.url,
            {
                "lead": {"email": "a@e.com"},
                "actions": [{"cmd": "search_lead"}, {"cmd": "assign_tag", "tag_name": "Nope"}],
            },
        )
        httpx.post(
            server.url + "/_mock/faults", json={"kind": "server_error", "status": 503}, verify=TLS
        )
        post(server.url, {"get_lead": {"email": "a@e.com"}}, api_key="other")
        yield server.url


def test_report_prints_commands_errors_warnings_and_faults(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--base-url", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 call(s) in the journal")
    assert "  2  create_lead" in out
    assert "  1  search_lead" in out
    assert "  1  get_lead" in out
    assert "  1  244  Lead already exists" in out
    assert "  1  212  Tag does not exist" in out
    assert "lead.unknown-field  documented  docs/behaviour.md#lead-fields" in out
    assert "e.g. lead[colour] is not a lead field" in out
    assert "  1  server_error" in out
    assert "  1  503" in out


def test_report_json_and_one_account(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--base-url", url, "--json", "--api-key", "other"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "calls": 1,
        "commands": {"get_lead": 1},
        "statuses": {"503": 1},
        "errors": [],
        "warnings": [],
        "accepted_warnings": [],
        "faults": {"server_error": 1},
    }


def test_fail_on_warnings_is_for_ci(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--base-url", url, "--fail-on-warnings"]) == 1
    assert main(["report", "--base-url", url, "--fail-on-warnings", "--api-key", "other"]) == 0
    capsys.readouterr()


def test_an_unreachable_mock_exits_2_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--base-url", "http://127.0.0.1:1"]) == 2
    assert "is kartra-mock serving there?" in capsys.readouterr().err


def test_a_guarded_mock_needs_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    with ThreadedServer(create_app(admin_token="tok")) as server:
        assert main(["report", "--base-url", server.url]) == 2
        assert "--admin-token" in capsys.readouterr().err
        assert main(["report", "--base-url", server.url, "--admin-token", "tok"]) == 0
        assert "0 call(s)" in capsys.readouterr().out


def test_summarize_an_empty_journal() -> None:
    report = summarize([])
    assert report.calls == 0
    assert "(none)" in report.render()


def test_summarize_reads_the_outcome_the_server_recorded() -> None:
    # The commands and errors come from the entry's outcome fields, not from its answer.
    entry: dict[str, object] = {
        "status_code": 200,
        "params": {},
        "response": {"status": "Success"},
        "commands": ["create_lead", "assign_tag"],
        "errors": [{"type": "212", "message": "Tag does not exist"}],
    }
    report = summarize([entry, entry])
    assert report.commands == {"assign_tag": 2, "create_lead": 2}
    assert [(e.type_code, e.message, e.count) for e in report.errors] == [
        ("212", "Tag does not exist", 2)
    ]
