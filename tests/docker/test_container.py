"""docker/Dockerfile built and run in a real container engine (marker ``container``).

One container per module serves the checks that only read or add to its world; the stop and
resume test runs its own. Containers use host networking (the engine here runs without a
bridge) on a free loopback port, appended after the image the way users override the port, and
the image's HEALTHCHECK is polled every second instead of every ten (``--health-interval``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.docker.engine import Engine
from tests.helpers import DEMO, build_query
from tests.serving import free_port

pytestmark = pytest.mark.container

COMPOSE = Path(__file__).parents[2] / "docker" / "compose.yaml"

TOKEN = "container-secret"
# Kartra's own create_lead and search_lead examples (the lead found is the one created).
SEED_CREATE = {
    "lead": {
        "email": "John@kartra.com",
        "first_name": "John",
        "last_name": "Smith",
        "custom_fields": [
            {"field_identifier": "text1", "field_value": "text message"},
            {"field_identifier": "dropdown1", "field_value": "612"},
            {"field_identifier": "checkbox1", "field_value": [620]},
        ],
    },
    "actions": [{"cmd": "create_lead"}],
}
SEED_SEARCH = {"lead": {"email": "john@kartra.com"}, "actions": [{"cmd": "search_lead"}]}
RUNTIME_ONLY = {"hypothesis", "pytest"}  # the test tools the image must not carry
SIZE_BUDGET = 50_000_000  # bytes the image may add to its base: the package and what serve needs


@dataclass(frozen=True)
class Container:
    """A running container and the URL its server answers on."""

    docker: Engine
    name: str
    url: str

    def inspect(self, template: str) -> str:
        """``docker inspect --format TEMPLATE``."""
        return self.docker.run("inspect", "--format", template, self.name).stdout.strip()

    def wait_healthy(self, timeout: float = 90) -> None:
        """Until the image's HEALTHCHECK reports ``healthy``; fails on ``unhealthy``."""
        deadline = time.monotonic() + timeout
        while (status := self.inspect("{{.State.Health.Status}}")) != "healthy":
            running = self.inspect("{{.State.Running}}")
            if status == "unhealthy" or running != "true" or time.monotonic() > deadline:
                health = self.inspect("{{json .State.Health}}")
                logs = self.docker.run("logs", self.name, check=False)
                pytest.fail(f"{self.name} is {status}: {health}\n{logs.stdout}\n{logs.stderr}")
            time.sleep(0.5)

    def api(self, params: Mapping[str, object]) -> dict[str, Any]:
        """POST /api with the demo credentials, form-encoded as PHP sends it."""
        response = httpx.post(
            self.url + "/api",
            content=build_query({**DEMO, **params}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=10,
        )
        assert response.status_code == 200
        answer: dict[str, Any] = response.json()
        return answer


@contextmanager
def running(
    docker: Engine, image: str, volume: str, *options: str, env: dict[str, str] | None = None
) -> Iterator[Container]:
    """``docker run`` the image on a free loopback port with ``volume`` at /data; removed after."""
    port = free_port()
    name = f"kartra-mock-test-{os.getpid()}-{port}"
    environment = [arg for key, value in (env or {}).items() for arg in ("-e", f"{key}={value}")]
    docker.run(
        "run",
        "--detach",
        "--name",
        name,
        "--network",
        "host",
        "--health-interval",
        "1s",
        "--volume",
        f"{volume}:/data",
        *environment,
        image,
        # the image's CMD, with the address and port a test may use
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--state",
        "/data/state.json",
        "--save-on-exit",
        *options,
    )
    try:
        yield Container(docker, name, f"http://127.0.0.1:{port}")
    finally:
        docker.run("rm", "--force", name, check=False)


@pytest.fixture(scope="module")
def volume(docker: Engine) -> Iterator[str]:
    """A named volume for /data, removed after the module."""
    name = f"kartra-mock-test-{os.getpid()}"
    docker.run("volume", "create", name)
    yield name
    docker.run("volume", "rm", "--force", name, check=False)


@pytest.fixture(scope="module")
def served(docker: Engine, image: str, volume: str) -> Iterator[Container]:
    """A healthy container with an admin token from the environment and JSON logs."""
    with running(
        docker, image, volume, "--log-format", "json", env={"KARTRA_MOCK_ADMIN_TOKEN": TOKEN}
    ) as container:
        container.wait_healthy()
        yield container


def test_the_healthcheck_follows_the_port_the_server_was_started_on(served: Container) -> None:
    assert served.inspect("{{.State.Health.Status}}") == "healthy"
    assert ":8765" not in served.url  # the image's default port is not the one in use


def test_the_api_answers_the_seed_examples(served: Container) -> None:
    created = served.api(SEED_CREATE)
    assert created["status"] == "Success", created
    (action,) = created["actions"]
    lead_id = action["create_lead"]["lead_details"]["id"]
    found = served.api(SEED_SEARCH)
    assert found == {"status": "Success", "message": "Lead found", "lead_details": {"id": lead_id}}


def test_the_server_runs_as_the_unprivileged_user(served: Container) -> None:
    pid = served.inspect("{{.State.Pid}}")
    status = Path(f"/proc/{pid}/status").read_text()
    uids = next(line.split()[1:] for line in status.splitlines() if line.startswith("Uid:"))
    assert uids == ["10001"] * 4  # real, effective, saved, filesystem
    assert served.inspect("{{.Config.User}}") == "kartra"


def test_the_admin_token_from_the_environment_guards_the_control_plane(served: Container) -> None:
    assert httpx.get(served.url + "/_mock/state", timeout=10).status_code == 401
    with_token = httpx.get(
        served.url + "/_mock/state", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert with_token.status_code == 200
    assert httpx.get(served.url + "/_mock/health", timeout=10).json()["status"] == "ok"


def test_logs_go_to_the_container_streams_as_json_lines(served: Container) -> None:
    served.api({"lead": {"email": "logged@example.com"}, "actions": [{"cmd": "create_lead"}]})
    logs = served.docker.run("logs", served.name)
    assert " serving http://127.0.0.1:" in logs.stdout  # the banner, on stdout
    records = [json.loads(line) for line in logs.stderr.splitlines() if line.startswith("{")]
    assert records, logs.stderr
    assert any("create_lead" in json.dumps(record) for record in records)
    # nothing but JSON on stderr: uvicorn's own lines go through the same formatter
    assert all(line.startswith("{") for line in logs.stderr.splitlines() if line), logs.stderr


def test_the_image_carries_no_test_tools(served: Container) -> None:
    listed = served.docker.run("exec", served.name, "python", "-m", "pip", "list", "--format=json")
    installed = {package["name"].lower() for package in json.loads(listed.stdout)}
    assert "kartra-mock" in installed
    assert not installed & RUNTIME_ONLY


def test_the_image_adds_less_than_its_budget_to_its_base(
    docker: Engine, base: str, image: str
) -> None:
    added = docker.image_size(image) - docker.image_size(base)
    assert 0 < added <= SIZE_BUDGET, f"the image adds {added / 1e6:.0f} MB to its base"


def test_docker_stop_saves_the_world_and_a_new_container_resumes_it(
    docker: Engine, image: str
) -> None:
    volume = f"kartra-mock-test-{os.getpid()}-resume"
    docker.run("volume", "create", volume)
    try:
        with running(docker, image, volume) as first:
            first.wait_healthy()
            assert first.api(SEED_CREATE)["status"] == "Success"
            docker.run("stop", first.name, timeout=60)
            assert first.inspect("{{.State.ExitCode}}") == "0"
        with running(docker, image, volume) as second:
            second.wait_healthy()
            found = second.api(SEED_SEARCH)
            assert found["status"] == "Success", found
            assert found["message"] == "Lead found"
    finally:
        docker.run("volume", "rm", "--force", volume, check=False)


def test_compose_file_runs_the_image_on_its_published_loopback_port(
    docker: Engine, image: str
) -> None:
    """docker/compose.yaml as users run it, with Debian's docker-compose (1.x): the built image
    (KARTRA_MOCK_IMAGE), a free port (KARTRA_MOCK_PORT), the image's own 10 s health interval."""
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed: compose.yaml is only checked as text")
    port = free_port()
    project = f"kartra-mock-test-{os.getpid()}"
    env = {**docker.env, "KARTRA_MOCK_IMAGE": image, "KARTRA_MOCK_PORT": str(port)}
    argv = [compose, "--file", str(COMPOSE), "--project-name", project]

    def compose_run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [*argv, *args], env=env, capture_output=True, text=True, timeout=180, check=False
        )
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    configured = compose_run("config")
    assert (
        f"127.0.0.1:{port}:8765" in configured.stdout or f"published: {port}" in configured.stdout
    )
    try:
        compose_run("up", "--detach", "--no-build")
        (container_id,) = compose_run("ps", "--quiet").stdout.split()
        container = Container(docker, container_id, f"http://127.0.0.1:{port}")
        container.wait_healthy()
        assert container.api(SEED_CREATE)["status"] == "Success"
        assert container.api(SEED_SEARCH)["message"] == "Lead found"
    finally:
        compose_run("down", "--volumes")
