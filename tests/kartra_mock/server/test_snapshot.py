"""``POST /_mock/snapshot``: the world to the configured ``--state`` file, and only there."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.app import create_app
from tests.helpers import DEMO, build_query

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def client(state_file: Path | None) -> TestClient:
    backend = Backend(overrides=Overrides(rate_limit=0))
    return TestClient(create_app(backend=backend, state_file=state_file))


def create(http: TestClient, email: str) -> None:
    body = build_query({**DEMO, "lead": {"email": email}, "actions": [{"cmd": "create_lead"}]})
    assert http.post("/api", content=body, headers=FORM).json()["status"] == "Success"


def test_snapshot_writes_the_current_world(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    with client(target) as http:
        create(http, "a@example.com")
        response = http.post("/_mock/snapshot")
        assert response.status_code == 200
        answer = response.json()
        assert answer["path"] == str(target)
        assert answer["bytes"] == target.stat().st_size
        written = json.loads(target.read_text(encoding="utf-8"))
        assert written == http.get("/_mock/state").json()
    # It is a state document: a fresh mock starts from it.
    assert Backend(written).state() == written


def test_snapshot_writes_only_the_configured_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    elsewhere = tmp_path / "elsewhere.json"
    with client(target) as http:
        http.post("/_mock/snapshot", json={"path": str(elsewhere)})
    assert target.exists()
    assert not elsewhere.exists()


def test_without_a_state_file_snapshot_is_409_and_says_how(tmp_path: Path) -> None:
    with client(None) as http:
        response = http.post("/_mock/snapshot")
    assert response.status_code == 409
    assert "--state FILE" in response.json()["error"]


def test_a_failed_write_is_reported_and_the_old_file_kept(tmp_path: Path) -> None:
    missing_directory = tmp_path / "gone" / "state.json"
    with client(missing_directory) as http:
        response = http.post("/_mock/snapshot")
        assert response.status_code == 500
        assert "cannot write the state file" in response.json()["error"]
        assert http.get("/_mock/health").json()["status"] == "ok"
    assert not missing_directory.exists()
