"""``serve --webhook/--ipn`` and ``kartra-mock trigger``, run as a user runs them."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from kartra_mock.outbound.receiver import Receiver
from tests.serving import announced

pytestmark = [pytest.mark.subprocess, pytest.mark.socket, pytest.mark.slow]

CLI = [sys.executable, "-m", "kartra_mock"]
CREDENTIALS = {"app_id": "demo-app", "api_key": "demo-key", "api_password": "demo-password"}


def create_lead(api_url: str, email: str) -> None:
    body = {**CREDENTIALS, "lead[email]": email, "actions[0][cmd]": "create_lead"}
    answer = httpx.post(api_url, data=body, timeout=10).json()
    assert answer["status"] == "Success", answer


def test_serve_webhook_option_sends_the_chosen_events_to_the_url() -> None:
    with (
        Receiver.serve() as receiver,
        announced(
            [*CLI, "serve", "--port", "0", "--webhook", f"{receiver.url}/hook=assign_tag"]
        ) as (server, _),
    ):
        create_lead(server.url + "/api", "ada@example.com")
        body = {
            **CREDENTIALS,
            "lead[email]": "ada@example.com",
            "actions[0][cmd]": "assign_tag",
            "actions[0][tag_name]": "Customer",
        }
        assert httpx.post(server.url + "/api", data=body, timeout=10).json()["status"] == "Success"
        arrived = receiver.wait_for("assign_tag")
        assert arrived.path == "/hook"
        assert arrived.json["action"] == "assign_tag"
        config = httpx.get(server.url + "/_mock/outbound", timeout=10).json()
        assert f"{receiver.url}/hook" in str(config)


def test_trigger_command_makes_the_event_happen_on_a_running_server() -> None:
    with (
        Receiver.serve() as receiver,
        announced([*CLI, "serve", "--port", "0", "--webhook", receiver.url + "/hook"]) as (
            server,
            _,
        ),
    ):
        create_lead(server.url + "/api", "bob@example.com")
        done = _trigger_filled_form("bob@example.com", server.url)
        assert done.returncode == 0, done.stderr
        assert f"filled_form -> {receiver.url}/hook" in done.stdout
        assert receiver.wait_for("filled_form").json["lead"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--webhook", "ftp://x/hook"], "not an http(s) URL"),
        (["--webhook", "http://127.0.0.1:9/h=no_such_action"], "unknown action"),
        (["--ipn", "not-a-url"], "not an http(s) URL"),
    ],
)
def test_bad_outbound_options_exit_2_naming_the_problem(option: list[str], message: str) -> None:
    done = subprocess.run(
        [*CLI, "serve", *option], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 2
    assert message in done.stderr


def _trigger_filled_form(lead: str, base_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "trigger", "filled_form", "--lead", lead, "--base-url", base_url],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_trigger_checks_its_base_url_as_report_and_verify_do() -> None:
    done = _trigger_filled_form("a@b.c", "127.0.0.1:8765")
    assert done.returncode == 2
    assert "--base-url: not an http(s) URL: '127.0.0.1:8765'" in done.stderr


def test_trigger_against_no_server_is_one_error_line() -> None:
    done = _trigger_filled_form("a@b.c", "http://127.0.0.1:9")
    assert done.returncode == 2
    assert "cannot reach" in done.stderr
    assert "Traceback" not in done.stderr
