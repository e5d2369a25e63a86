"""The optional admin token on ``/_mock/*``; ``/api`` never needs it."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from kartra_mock.server.app import create_app
from tests.helpers import DEMO, build_query
from tests.serving import free_port, running

TOKEN = "s3cret-token"
GUARDED = [
    ("GET", "/_mock/state"),
    ("POST", "/_mock/reset"),
    ("GET", "/_mock/requests"),
    ("DELETE", "/_mock/requests"),
    ("GET", "/_mock/faults"),
    ("POST", "/_mock/snapshot"),
    ("POST", "/_mock/accounts/demo-key/leads/1/delete"),
    ("GET", "/_mock/no-such-route"),
]


@pytest.fixture
def http() -> Iterator[TestClient]:
    with TestClient(create_app(admin_token=TOKEN)) as client:
        yield client


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_the_control_plane_wants_the_token(http: TestClient, method: str, path: str) -> None:
    response = http.request(method, path)
    assert response.status_code == 401
    error = response.json()["error"]
    assert "Authorization: Bearer <token>" in error
    assert "X-Admin-Token" in error
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer nope"},
        {"Authorization": f"Basic {TOKEN}"},
        {"X-Admin-Token": TOKEN[:-1]},
        {"X-Admin-Token": ""},
        {"Authorization": "Bearer"},
    ],
)
def test_a_wrong_token_is_401(http: TestClient, headers: dict[str, str]) -> None:
    assert http.get("/_mock/state", headers=headers).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": f"Bearer {TOKEN}"},
        {"Authorization": f"bearer {TOKEN}"},
        {"X-Admin-Token": TOKEN},
    ],
)
def test_the_right_token_opens_it(http: TestClient, headers: dict[str, str]) -> None:
    assert http.get("/_mock/state", headers=headers).status_code == 200
    assert http.post("/_mock/reset", headers=headers).json()["status"] == "ok"


def test_api_never_needs_it_and_health_and_openapi_stay_open(http: TestClient) -> None:
    body = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
    response = http.post(
        "/api", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.json()["status"] == "Success"
    assert http.get("/_mock/health").json()["status"] == "ok"
    assert http.get("/_mock/openapi.json").json()["openapi"] == "3.1.0"


def test_without_a_token_the_control_plane_is_open() -> None:
    with TestClient(create_app()) as client:
        assert client.get("/_mock/state").status_code == 200


@pytest.mark.socket
@pytest.mark.subprocess
def test_serve_reads_the_token_from_the_environment() -> None:
    port = free_port()
    argv = [sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running(argv, url, env={"KARTRA_MOCK_ADMIN_TOKEN": TOKEN}) as server:
        assert httpx.get(url + "/_mock/state").status_code == 401
        authorized = httpx.get(url + "/_mock/state", headers={"X-Admin-Token": TOKEN})
        assert authorized.status_code == 200
        status, out, _ = server.stop()
    assert status == 0
    assert "admin token required" in out
    assert TOKEN not in out
