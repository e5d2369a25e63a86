"""Stalled and vanishing clients, over a real socket: timed out, and no traceback."""

from __future__ import annotations

import socket
import sys

import httpx
import pytest

from kartra_mock.server.app import create_app
from tests.helpers import DEMO, build_query
from tests.serving import free_port, running

#: Only a guard against a hang: the server answers long before (its body timeout is 0.5 s).
HANG_GUARD = 20.0


def half_sent(port: int, request: str = "POST /api") -> socket.socket:
    """A connection that sent its headers and 10 of the 100 body bytes it promised."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD)
    sock.sendall(
        f"{request} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 100\r\n\r\napp_id=abc".encode()
    )
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.socket
@pytest.mark.subprocess
def test_a_stalled_body_is_answered_408_and_closed_and_a_hang_up_logs_no_traceback() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)]
    with running([*argv, "--body-timeout", "0.5", "--log-level", "debug"], url) as server:
        with half_sent(port) as api, half_sent(port, "PUT /_mock/state") as control:
            answers = [read_all(api), read_all(control)]
        with half_sent(port):
            pass  # hangs up mid-body
        body = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        assert httpx.post(url + "/api", content=body, headers=headers).status_code == 200
        status, _, err = server.stop()
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408 "), answer
        assert b"connection: close" in answer.lower()
        assert b"request body stalled" in answer
    assert status == 0
    assert "Traceback" not in err
    assert "unexpected error" not in err
    assert "Exception in ASGI application" not in err
    assert "client disconnected before its request was complete: POST /api" in err


def test_the_body_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError, match="more than 0"):
        create_app(body_timeout=0)


@pytest.mark.socket
@pytest.mark.subprocess
def test_a_connection_whose_headers_never_end_is_closed_without_an_answer() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)]
    with running([*argv, "--body-timeout", "0.5"], url) as server:
        silent = socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD)
        half = socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD)
        half.sendall(b"POST /api HTTP/1.1\r\nHost: x\r\nContent-Le")
        with silent, half:
            answers = [read_all(silent), read_all(half)]
        body = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        with httpx.Client() as client:  # a kept-alive connection is not cut mid-use
            for _ in range(3):
                assert client.post(url + "/api", content=body, headers=headers).is_success
        status, _, err = server.stop()
    assert answers == [b"", b""]
    assert status == 0
    assert "request headers stalled for 0.5 s, connection closed" in err
