"""docker/ without an engine: the Dockerfile's instructions checked as text, and its exact start
command and health check run against the installed package, as the container runs them.
The image itself is built and run by test_container.py (marker ``container``)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kartra_mock.cli import build_parser
from tests.helpers import DEMO, build_query
from tests.serving import announced, free_port, running

ROOT = Path(__file__).parents[2]
DOCKERFILE = ROOT / "docker" / "Dockerfile"
COMPOSE = ROOT / "docker" / "compose.yaml"
DOCKERIGNORE = ROOT / ".dockerignore"
HEALTHCHECK = ROOT / "docker" / "healthcheck.py"
HEALTHCHECK_IN_IMAGE = "/usr/local/lib/kartra-mock/healthcheck.py"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str]:
        """The JSON-array (exec) form's argv; the test insists on it (signals reach the app)."""
        argv = json.loads(self.arguments)
        assert isinstance(argv, list), self
        assert all(isinstance(arg, str) for arg in argv)
        return argv


def instructions() -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        found.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    return found


def only(keyword: str) -> Instruction:
    matching = [i for i in instructions() if i.keyword == keyword]
    assert len(matching) == 1, f"expected one {keyword}, found {matching}"
    return matching[0]


def start_command() -> list[str]:
    return only("ENTRYPOINT").exec_form() + only("CMD").exec_form()


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def healthcheck_argv() -> list[str]:
    flags, _, command = only("HEALTHCHECK").arguments.partition("CMD ")
    assert "--interval=" in flags
    return json.loads(command)  # type: ignore[no-any-return]


def test_the_base_image_is_a_build_argument_defaulting_to_a_pinned_slim_python() -> None:
    (source,) = [i.arguments for i in instructions() if i.keyword == "FROM"]
    assert source == "${BASE}"
    (argument,) = [i.arguments for i in instructions() if i.keyword == "ARG"]
    name, _, base = argument.partition("=")
    assert name == "BASE"
    match = re.fullmatch(r"python:(3)\.(\d+)\.(\d+)-slim-[a-z]+(@sha256:[0-9a-f]{64})?", base)
    assert match, f"{base} is not pinned to an exact python slim version"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = tuple(int(part) for part in requires.removeprefix(">=").split("."))
    assert (int(match[1]), int(match[2])) >= minimum


def test_the_server_runs_as_a_fixed_non_root_user() -> None:
    users = [i.arguments for i in instructions() if i.keyword == "USER"]
    assert users, "no USER: the server would run as root"
    user = users[-1]
    assert user.split(":")[0] not in {"root", "0"}
    created = [i.arguments for i in instructions() if i.keyword == "RUN"]
    assert any("useradd" in run and re.search(rf"\b{user}\b", run) for run in created)
    # The user comes before the start command, so the server never runs as root.
    keywords = [i.keyword for i in instructions()]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")


def test_the_exposed_port_is_the_one_the_server_and_healthcheck_use() -> None:
    exposed = only("EXPOSE").arguments
    argv = start_command()
    serve_default = build_parser().parse_args(["serve"]).port
    assert exposed == option(argv, "--port") == str(serve_default)
    assert option(argv, "--host") == "0.0.0.0"  # reachable through the published port
    # the health check names no port: it asks the kernel where the server listens
    assert healthcheck_argv() == ["python", HEALTHCHECK_IN_IMAGE]
    copies = [i.arguments.split() for i in instructions() if i.keyword == "COPY"]
    assert ["docker/healthcheck.py", HEALTHCHECK_IN_IMAGE] in copies


def test_the_state_file_lives_in_the_volume_owned_by_the_user() -> None:
    (volume,) = json.loads(only("VOLUME").arguments)
    argv = start_command()
    assert Path(option(argv, "--state")).parent == Path(volume)
    assert "--save-on-exit" in argv
    user = [i.arguments for i in instructions() if i.keyword == "USER"][-1]
    runs = " ".join(i.arguments for i in instructions() if i.keyword == "RUN")
    assert re.search(rf"chown {user}(:{user})? {volume}\b", runs)


def test_the_build_context_carries_what_pip_install_needs() -> None:
    copied = {
        source
        for i in instructions()
        if i.keyword == "COPY"
        for source in i.arguments.split()[:-1]
        if not source.startswith("--")
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        pattern.rstrip("*")
        for pattern in project["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    assert copied == {
        "pyproject.toml",
        project["project"]["readme"],
        *packages,
        "docker/healthcheck.py",
    }
    assert all((ROOT / source).exists() for source in copied)
    # .dockerignore lets in exactly what is copied (everything else stays out).
    rules = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules[0] == "*"
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert allowed == copied


def test_compose_publishes_on_localhost_only() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    ports = re.findall(r'^\s*-\s*"([^"]+)"\s*$', text, flags=re.MULTILINE)
    published = [port for port in ports if port.count(":") >= 1 and "/" not in port]
    assert published == [f"127.0.0.1:${{KARTRA_MOCK_PORT:-8765}}:{only('EXPOSE').arguments}"]
    assert "dockerfile: docker/Dockerfile" in text
    assert re.search(r":/data\s*$", text, flags=re.MULTILINE)


@pytest.mark.socket
@pytest.mark.slow
@pytest.mark.subprocess
def test_the_exact_start_command_serves_is_healthy_and_saves_on_stop(tmp_path: Path) -> None:
    """ENTRYPOINT + CMD as the container runs them, with only the port and the state path
    swapped (tests must not use fixed ports) — against the installed ``kartra-mock`` script."""
    argv = start_command()
    script = shutil.which(argv[0], path=str(Path(sys.executable).parent))
    assert script, f"{argv[0]} is not installed next to {sys.executable}"
    port = free_port()
    state = tmp_path / "data" / "state.json"
    state.parent.mkdir()
    argv[0] = script
    argv[argv.index("--port") + 1] = str(port)
    argv[argv.index("--state") + 1] = str(state)
    url = f"http://127.0.0.1:{port}"
    with running(argv, url) as server:
        probe = subprocess.run(healthcheck(server.process.pid), check=False, timeout=10)
        assert probe.returncode == 0
        body = build_query(
            {**DEMO, "lead": {"email": "boxed@example.com"}, "actions": [{"cmd": "create_lead"}]}
        )
        response = httpx.post(
            url + "/api",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.json()["status"] == "Success"
        status, _, err = server.stop(signal.SIGTERM)  # what `docker stop` sends
    assert status == 0, err
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert [lead["email"] for lead in saved["accounts"][0]["leads"]] == ["boxed@example.com"]


def healthcheck(pid: int) -> list[str]:
    """The image's health check as this machine runs it: the repository's script, for ``pid``
    (in the container it finds the server itself; here other servers may be running)."""
    return [sys.executable, str(HEALTHCHECK), str(pid)]


@pytest.mark.subprocess
def test_the_healthcheck_follows_a_port_the_os_picked() -> None:
    with announced([sys.executable, "-m", "kartra_mock", "serve", "--port", "0"]) as (server, _):
        probe = subprocess.run(
            healthcheck(server.process.pid), check=False, capture_output=True, timeout=10
        )
    assert probe.returncode == 0, probe.stdout


@pytest.mark.subprocess
def test_the_healthcheck_fails_when_the_process_listens_on_nothing() -> None:
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as idle:
        try:
            probe = subprocess.run(
                healthcheck(idle.pid), check=False, capture_output=True, text=True, timeout=10
            )
        finally:
            idle.kill()
    assert probe.returncode == 1
    assert "listens on no TCP port" in probe.stdout


def test_the_healthcheck_finds_only_kartra_mock_servers() -> None:
    spec = importlib.util.spec_from_file_location("healthcheck", HEALTHCHECK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    is_server = module.is_server
    assert is_server(["/usr/local/bin/python", "/usr/local/bin/kartra-mock", "serve", "--port=1"])
    assert is_server(["python", "-m", "kartra_mock", "serve"])
    assert is_server(["/sbin/docker-init", "--", "kartra-mock", "serve"])
    assert not is_server(["python", "/usr/local/lib/kartra-mock/healthcheck.py"])
    assert not is_server(["kartra-mock", "report"])
    assert not is_server(["other", "serve"])
