"""The ``kartra-mock`` command: options, bad state files, and the real process
(docs/operations.md#command-line)."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from kartra_mock.cli import main
from tests.helpers import DEMO, build_query
from tests.serving import Process, free_port, running

OPTIONS = [
    "--host",
    "--port",
    "--state",
    "--strict-auth",
    "--rate-limit",
    "--require-https",
    "--content-type",
    "--log-level",
]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CREDENTIALS_LINE = "app_id=demo-app api_key=demo-key api_password=demo-password"


# -- in-process ---------------------------------------------------------------------------------


def test_serve_help_lists_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    missing = [option for option in OPTIONS if option not in out]
    assert missing == []
    assert "html" in out
    assert "json" in out


def test_top_level_help_names_the_serve_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "serve" in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "serve" in capsys.readouterr().out


def test_a_bad_option_value_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--content-type", "xml"])
    assert exited.value.code == 2
    assert "--content-type" in capsys.readouterr().err


def test_a_negative_rate_limit_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--rate-limit", "-1"])
    assert exited.value.code == 2
    assert "--rate-limit" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (None, "cannot read"),
        ("{not json", "cannot read"),
        (b"\xff\xfe{}", "cannot read"),
        ('["a list"]', "invalid"),
        ('{"accounts": "none"}', "invalid"),
        ('{"accounts": [{"api_password": "p"}]}', "invalid"),
        ('{"auth": "sloppy", "accounts": []}', "invalid"),
    ],
    ids=[
        "missing",
        "not-json",
        "not-utf8",
        "not-an-object",
        "wrong-type",
        "no-api-key",
        "bad-auth",
    ],
)
def test_a_bad_state_file_exits_2_naming_the_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | bytes | None,
    why: str,
) -> None:
    path = tmp_path / "seed-state.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    assert main(["serve", "--state", str(path), "--port", "1"]) == 2
    captured = capsys.readouterr()
    assert str(path) in captured.err
    assert why in captured.err
    assert captured.out == ""


# -- the real process ---------------------------------------------------------------------------


class Serving:
    """A running ``python -m kartra_mock serve`` and its base URL."""

    def __init__(self, process: Process) -> None:
        self._process = process
        self.url = process.url

    def call(self, params: dict[str, object]) -> httpx.Response:
        body = build_query({**DEMO, **params})
        return httpx.post(self.url + "/api", content=body, headers=FORM, timeout=10)

    def stop(self, sig: signal.Signals) -> tuple[int, str, str]:
        """Send ``sig``; return the exit status and everything the process printed."""
        return self._process.stop(sig)


@contextmanager
def serving(*options: str) -> Iterator[Serving]:
    """Start the server as a separate process; yield once ``/_mock/health`` answers."""
    port = free_port()
    argv = [sys.executable, "-m", "kartra_mock", "serve", "--port", str(port), *options]
    with running(argv, f"http://127.0.0.1:{port}") as process:
        yield Serving(process)


@pytest.mark.socket
@pytest.mark.subprocess
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_prints_the_url_and_credentials_and_stops_cleanly(sig: signal.Signals) -> None:
    with serving() as server:
        response = server.call(
            {"lead": {"email": "cli@example.com"}, "actions": [{"cmd": "create_lead"}]}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=UTF-8"
        assert json.loads(response.content) == {
            "status": "Success",
            "actions": [{"create_lead": {"status": "Success", "lead_details": {"id": "1"}}}],
        }
        status, out, err = server.stop(sig)
    assert status == 0, err
    assert server.url in out
    assert CREDENTIALS_LINE in out
    assert "Traceback" not in err


@pytest.mark.socket
@pytest.mark.subprocess
def test_strict_auth_rejects_an_unknown_api_key() -> None:
    with serving("--strict-auth") as server:
        response = server.call({"api_key": "nobody", "actions": [{"cmd": "retrieve_account_tags"}]})
        assert json.loads(response.content) == {
            "status": "Error",
            "message": "API key not valid. Please get an API key first",
            "type": "203",
        }
        # The demo account is configured, so it still works.
        assert (
            json.loads(server.call({"actions": [{"cmd": "retrieve_account_tags"}]}).content)[
                "status"
            ]
            == "Success"
        )
        assert server.stop(signal.SIGTERM)[0] == 0


@pytest.mark.socket
@pytest.mark.subprocess
def test_content_type_json() -> None:
    with serving("--content-type", "json") as server:
        response = server.call({"actions": [{"cmd": "retrieve_account_tags"}]})
        assert response.headers["content-type"] == "application/json"
        assert json.loads(response.content)["status"] == "Success"
        assert server.stop(signal.SIGTERM)[0] == 0


@pytest.mark.socket
@pytest.mark.subprocess
def test_a_state_file_seeds_the_world(tmp_path: Path) -> None:
    document: dict[str, Any] = {
        "settings": {"rate_limit": 20, "content_type": "application/json"},
        "accounts": [
            {
                "api_key": DEMO["api_key"],
                "api_password": DEMO["api_password"],
                "leads": [{"id": 41, "email": "seeded@example.com", "first_name": "Seed"}],
            }
        ],
    }
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    # Options override the document's settings: the answer comes back as text/html.
    with serving("--state", str(path), "--content-type", "html") as server:
        response = server.call(
            {"lead": {"email": "SEEDED@example.com"}, "actions": [{"cmd": "search_lead"}]}
        )
        assert response.headers["content-type"] == "text/html; charset=UTF-8"
        assert json.loads(response.content) == {
            "status": "Success",
            "message": "Lead found",
            "lead_details": {"id": "41"},
        }
        state = httpx.get(server.url + "/_mock/state").json()
        leads = state["accounts"][0]["leads"]
        assert [(lead["id"], lead["email"]) for lead in leads] == [(41, "seeded@example.com")]
        assert server.stop(signal.SIGTERM)[0] == 0
