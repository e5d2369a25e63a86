"""``kartra-mock serve`` as an operator meets it: option errors, the banner, the bound port."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.serving import announced

pytestmark = [pytest.mark.subprocess, pytest.mark.socket]

SERVE = [sys.executable, "-m", "kartra_mock", "serve"]


def run_to_exit(*options: str) -> subprocess.CompletedProcess[str]:
    """Run ``serve`` with options it must refuse; it has to exit by itself."""
    return subprocess.run(
        [*SERVE, *options], capture_output=True, text=True, timeout=30, check=False
    )


@pytest.mark.parametrize(
    ("options", "names"),
    [
        (["--port", "99999"], "--port"),
        (["--port", "-1"], "--port"),
        (["--port", "http"], "--port"),
        (["--rate-limit", "-3"], "--rate-limit"),
        (["--rate-limit", "ten"], "--rate-limit"),
        (["--host", ""], "--host"),
        (["--host", "local host"], "--host"),
        (["--log-level", "loud"], "--log-level"),
        (["--admin-token", ""], "--admin-token"),
        (["--content-type", "xml"], "--content-type"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_an_invalid_option_exits_2_naming_it(options: list[str], names: str) -> None:
    # Port 1 is privileged: an option wrongly accepted fails to bind (exit 1), not 2.
    result = run_to_exit(*options, *([] if "--port" in options else ["--port", "1"]))
    assert result.returncode == 2
    assert names in result.stderr
    assert "Traceback" not in result.stderr
    assert "serving" not in result.stdout


def test_a_host_that_does_not_resolve_exits_2() -> None:
    result = run_to_exit("--host", "no-such-host.invalid", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith("kartra-mock: unknown host 'no-such-host.invalid'")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_port_in_use_is_one_error_line_and_no_banner() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_to_exit("--port", str(port))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"kartra-mock: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
    assert result.stdout == ""


def test_port_0_announces_the_port_it_really_listens_on() -> None:
    with announced([*SERVE, "--port", "0"]) as (process, lines):
        assert ":0/" not in lines[0]
        assert process.url != "http://127.0.0.1:0"
        # The banner comes after the bind: the URL it prints answers at once.
        assert httpx.get(process.url + "/_mock/health", timeout=5).json()["status"] == "ok"
        status, _, err = process.stop(signal.SIGTERM)
    assert status == 0, err


def test_the_banner_names_demo_credentials_only_when_the_world_has_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.json"
    path.write_text(
        json.dumps({"auth": "strict", "accounts": [{"api_key": "k", "api_password": "p"}]}),
        encoding="utf-8",
    )
    with announced([*SERVE, "--port", "0", "--state", str(path)]) as (process, lines):
        status, out, _ = process.stop(signal.SIGTERM)
    banner = "\n".join(lines) + out
    assert "demo-password" not in banner
    assert "demo-key" not in banner
    assert "no demo account" in banner
    assert status == 0


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["report", "--base-url", "127.0.0.1:8765"], "--base-url"),
        (["verify", "--base-url", "ftp://example.com"], "--base-url"),
        (["verify", "--max-rate", "-1"], "--max-rate"),
        (["verify", "--max-rate", "nan"], "--max-rate"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_report_and_verify_refuse_bad_options_with_exit_2(argv: list[str], names: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kartra_mock", *argv],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert names in result.stderr
    assert "Traceback" not in result.stderr
