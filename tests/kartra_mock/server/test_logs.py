"""One log line per ``/api`` call: commands, result, status, time; no secrets; text or JSON."""

from __future__ import annotations

import json
import logging
import sys

import httpx
import pytest

from kartra_mock.server.logs import API_LOGGER, JsonFormatter, TextFormatter, escape, mask
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


def test_info_lines_carry_no_lead_data(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        api.call({"lead": {"email": "secret-lead@example.com"}, "actions": CHAIN})
    logged = caplog.text + "".join(str(vars(record)) for record in caplog.records)
    assert "secret-lead@example.com" not in logged


def test_debug_adds_the_decoded_params_and_where_the_time_went(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger=API_LOGGER):
        api.call({"lead": {"email": "a@example.com"}, "actions": CHAIN})
    info, debug = api_records(caplog)
    assert (info.levelno, debug.levelno) == (logging.INFO, logging.DEBUG)
    line = debug.getMessage()
    assert '"api_password":"[redacted]"' in line
    assert '"api_key":"demo…"' in line
    assert '"lead":{"email":"a@example.com"}' in line
    for step in ("read", "decode", "handle", "encode"):
        assert f" {step}=" in line
    fields = json.loads(JsonFormatter().format(debug))
    assert set(fields["timings_ms"]) == {"read", "decode", "handle", "encode"}


def test_debug_cuts_a_huge_value(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger=API_LOGGER):
        api.call({"lead": {"email": "a@example.com", "first_name": "x" * 100_000}})
    line = api_records(caplog)[1].getMessage()
    assert len(line) < 3000
    assert "more characters]" in line


FORGED = "x\nINFO kartra_mock.api: POST /api 200 Success forged\x1b[31m\u2028\x85"


def test_a_client_cannot_forge_or_colour_a_text_line(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=API_LOGGER):
        api.post(
            {"actions": [{"cmd": FORGED}]},
            credentials={**DEMO, "app_id": FORGED, "api_key": "\x1b[2Jkey"},
        )
    (record,) = api_records(caplog)
    line = TextFormatter("%(message)s").format(record)
    assert len(line.splitlines()) == 1
    assert "\x1b" not in line
    assert "\\x0aINFO kartra_mock.api" in line
    assert "\\x1b[31m\\u2028\\x85" in line


def test_a_json_line_stays_one_line(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=API_LOGGER):
        api.post({"actions": [{"cmd": FORGED}]}, credentials={**DEMO, "app_id": FORGED})
    (record,) = api_records(caplog)
    text = JsonFormatter().format(record)
    assert len(text.splitlines()) == 1
    for raw in ("\x1b", "\u2028", "\x85"):
        assert raw not in text
    assert json.loads(text)["app_id"] == escape(FORGED)


def test_the_text_format_escapes_every_logger() -> None:
    record = logging.LogRecord("other", logging.ERROR, __file__, 1, "on %s", ("/a\nb",), None)
    assert TextFormatter("%(message)s").format(record) == "on /a\\x0ab"


@pytest.mark.parametrize(
    ("text", "shown"),
    [("plain", "plain"), ("a\tb", "a\\x09b"), ("\x7f", "\\x7f"), ("\u202e", "\\u202e")],
)
def test_escape(text: str, shown: str) -> None:
    assert escape(text) == shown


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


@pytest.mark.socket
@pytest.mark.subprocess
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
