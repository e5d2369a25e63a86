"""The state file: atomic writes, a SIGKILL mid-write, ``--save-on-exit``."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, cast

import httpx
import pytest

from kartra_mock.cli import main
from kartra_mock.engine import persistence
from kartra_mock.engine.backend import Backend
from kartra_mock.engine.state import DEFAULT_DOCUMENT
from tests.helpers import DEMO, build_query
from tests.serving import free_port, running

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
LEADS = 5_000

# Writes two snapshots in turn until killed; nearly all its time is spent writing the file.
WRITER = """
import sys
from pathlib import Path
from kartra_mock.engine.persistence import write_atomic

path = Path(sys.argv[1])
payloads = [Path(name).read_bytes() for name in sys.argv[2:]]
written = 0
while True:
    write_atomic(path, payloads[written % 2])
    written += 1
    if written == 2:
        print("written", flush=True)
"""


def snapshot_of(leads: int) -> bytes:
    """A large world, encoded as POST /_mock/snapshot writes it."""
    account = dict(cast(list[dict[str, Any]], DEFAULT_DOCUMENT["accounts"])[0])
    account["leads"] = [
        {"id": i, "email": f"lead{i}@example.com", "first_name": "Ada " * 10}
        for i in range(1, leads + 1)
    ]
    return persistence.encode_state(Backend({**DEFAULT_DOCUMENT, "accounts": [account]}).state())


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_replaces_the_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    persistence.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_state_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    persistence.save_state(target, {"accounts": []})
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_write_that_fails_midway_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state.json"
    persistence.save_state(target, {"accounts": [], "auth": "open"})
    before = target.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        persistence.save_state(target, {"accounts": [], "auth": "strict"})
    assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.slow
@pytest.mark.subprocess
def test_a_sigkill_during_snapshot_writes_always_leaves_a_valid_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    versions = (tmp_path / "big.expected", tmp_path / "small.expected")
    versions[0].write_bytes(snapshot_of(LEADS))
    versions[1].write_bytes(snapshot_of(LEADS // 2))
    chance = random.Random()
    for _ in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), *map(str, versions)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        assert writer.stdout.readline() == "written\n", writer.communicate()[1]
        time.sleep(chance.uniform(0, 0.02))  # a write takes a few ms: land anywhere in one
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
        assert writer.returncode == -signal.SIGKILL
        # Byte for byte one whole version or the other, never a mix or a truncation.
        assert target.read_bytes() in {path.read_bytes() for path in versions}
        Backend(json.loads(target.read_bytes()))  # and a valid state document


def test_save_on_exit_needs_a_state_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--save-on-exit"]) == 2
    assert "--save-on-exit needs --state FILE" in capsys.readouterr().err


@pytest.mark.socket
@pytest.mark.subprocess
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_save_on_exit_writes_the_world_and_the_next_start_begins_from_it(
    tmp_path: Path, sig: signal.Signals
) -> None:
    state = tmp_path / "data" / "state.json"
    state.parent.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)]
    argv += ["--state", str(state), "--save-on-exit"]
    body = build_query(
        {**DEMO, "lead": {"email": "kept@example.com"}, "actions": [{"cmd": "create_lead"}]}
    )
    with running(argv, url) as server:
        created = httpx.post(url + "/api", content=body, headers=FORM)
        assert created.json()["status"] == "Success"
        status, out, err = server.stop(sig)
    assert status == 0, err
    assert "does not exist yet" in out
    assert f"saved the state to {state}" in out
    saved: dict[str, Any] = json.loads(state.read_text(encoding="utf-8"))
    assert [lead["email"] for lead in saved["accounts"][0]["leads"]] == ["kept@example.com"]
    with running(argv, url) as server:
        world = httpx.get(url + "/_mock/state").json()
        assert world == saved
        server.stop()


@pytest.mark.socket
@pytest.mark.subprocess
def test_save_on_exit_after_a_far_expiration_still_writes_the_world(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)]
    argv += ["--state", str(state), "--save-on-exit"]
    lead = {**DEMO, "lead": {"email": "kept@example.com"}}
    far = {"cmd": "give_points_to_lead", "points": "5", "expiration": "3000000"}
    with running(argv, url) as server:
        for actions in ([{"cmd": "create_lead"}], [far]):
            body = build_query({**lead, "actions": actions})
            httpx.post(url + "/api", content=body, headers=FORM)
        assert httpx.get(url + "/_mock/state").status_code == 200
        status, _, err = server.stop(signal.SIGTERM)
    assert status == 0, err
    saved: dict[str, Any] = json.loads(state.read_text(encoding="utf-8"))
    assert [lead["email"] for lead in saved["accounts"][0]["leads"]] == ["kept@example.com"]


class Unsavable(Backend):
    def state(self) -> dict[str, object]:
        raise ValueError("year 10240 is out of range")


@pytest.mark.parametrize("broken", ["dump", "directory"])
def test_a_failed_save_on_exit_says_so_keeps_the_old_file_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    from kartra_mock.server.serve import save_on_exit

    state = tmp_path / "state.json"
    state.write_text("previous world\n", encoding="utf-8")
    backend: Backend = Unsavable()
    target = state
    if broken == "directory":
        backend, target = Backend(), tmp_path / "missing" / "state.json"
    assert save_on_exit(backend, target) == 1
    err = capsys.readouterr().err
    assert f"could NOT save the state to {target}" in err
    assert "Traceback" not in err
    assert state.read_text(encoding="utf-8") == "previous world\n"
    assert leftovers(tmp_path) == []
