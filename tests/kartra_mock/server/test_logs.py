"""One log line per ``/api`` call: commands, result, status, time; no secrets; text or JSON."""

from __future__ import annotations

import json
import logging
import sys

import httpx
import pytest

from kartra_mock.server.logs import API_LOGGER, JsonFormatter, mask
from tests.helpers import DEMO, Api, build_query
from tests.serving import free_port, running

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CHAIN = [{"cmd": "create_lead"}, {"cmd": "assign_tag", "tag_name": "Nope"}]


def api_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == API_LOGGER]


def test_one_line_per_call_with_commands_result_and_error_types(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=API_LOGGER):
        api.call({"lead": {"email": "a@example.com"}, "actions": CHAIN})
        api.call({"lead": {"email": "a@example.com"}, "actions": [{"cmd": "create_lead"}]})
    first, second = (record.getMessage() for record in api_records(caplog))
    assert first.startswith("POST /api 200 Success create_lead,assign_tag errors=212 ")
    assert "app=demo-app key=demo… " in first
    assert first.rstrip().split()[-1].endswith("ms")
    assert second.startswith("POST /api 200 Error create_lead errors=244 ")


def test_the_log_never_shows_the_password_or_the_whole_key(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        api.call({"lead": {"email": "secret-lead@example.com"}, "actions": CHAIN})
    logged = caplog.text + "".join(str(vars(record)) for record in caplog.records)
    assert "demo-password" not in logged
    assert "demo-key" not in logged
    assert "secret-lead@example.com" not in logged


def test_nothing_is_logged_when_info_is_off(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=API_LOGGER):
        api.call({"actions": [{"cmd": "retrieve_account_tags"}]})
    assert api_records(caplog) == []


def test_a_fault_is_named_in_the_line(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    api.http.post("/_mock/faults", json={"kind": "rate_limit"})
    with caplog.at_level(logging.INFO, logger=API_LOGGER):
        api.post({"actions": [{"cmd": "retrieve_account_tags"}]})
    (line,) = (record.getMessage() for record in api_records(caplog))
    assert line.startswith("POST /api 429 Error retrieve_account_tags errors=429 ")
    assert line.endswith(" fault=rate_limit#1")


@pytest.mark.parametrize(
    ("key", "shown"), [("", ""), ("k", "k"), ("abcd", "abcd"), ("abcde", "abcd…")]
)
def test_mask(key: str, shown: str) -> None:
    assert mask(key) == shown


def test_the_json_formatter_writes_the_calls_fields(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=API_LOGGER):
        api.call({"lead": {"email": "a@example.com"}, "actions": CHAIN})
    line = json.loads(JsonFormatter().format(api_records(caplog)[0]))
    assert line["level"] == "INFO"
    assert line["logger"] == API_LOGGER
    assert line["commands"] == ["create_lead", "assign_tag"]
    assert line["error_types"] == ["212"]
    assert (line["status"], line["result"], line["api_key"]) == (200, "Success", "demo…")
    assert line["fault"] is None
    assert isinstance(line["latency_ms"], float)


def test_serve_logs_json_lines() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)]
    with running([*argv, "--log-format", "json"], url) as server:
        body = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
        httpx.post(url + "/api", content=body, headers=FORM)
        status, _, err = server.stop()
    assert status == 0
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    calls = [line for line in lines if line["logger"] == API_LOGGER]
    assert [call["commands"] for call in calls] == [["retrieve_account_tags"]]
    # uvicorn's own lines are JSON too.
    assert any(line["logger"].startswith("uvicorn") for line in lines)
    assert "demo-password" not in err
