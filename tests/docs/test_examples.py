"""The other-language examples (examples/php, examples/node) against a live server.

Each example exits 0 after its expected answers and non-zero on any other; both are checked.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.docs.markdown import ROOT
from tests.serving import Process, free_port, running

PHP = ROOT / "examples" / "php" / "create_and_search.php"
NODE = ROOT / "examples" / "node" / "create_and_search.mjs"


def _php() -> list[str]:
    php = shutil.which("php")
    if php is None:
        pytest.skip("php is not installed (Debian: apt-get install php-cli php-curl)")
    modules = subprocess.run([php, "-m"], capture_output=True, text=True, check=True).stdout
    if "curl" not in modules.split():
        pytest.skip("PHP's curl extension is missing (Debian: apt-get install php-curl)")
    return [php, str(PHP)]


def _node() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (Debian: apt-get install nodejs)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    if int(version.stdout.strip().lstrip("v").split(".")[0]) < 18:
        pytest.skip(f"node {version.stdout.strip()} has no global fetch (needs 18+)")
    return [node, str(NODE)]


@pytest.fixture(scope="module")
def server() -> Iterator[Process]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running([sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)], url) as srv:
        yield srv


def _run(argv: list[str], url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*argv, url], capture_output=True, text=True, timeout=60, check=False, cwd=Path.cwd()
    )


PROGRAMS = {"php": _php, "node": _node}
EXAMPLES = [
    pytest.param("php", marks=[pytest.mark.php, pytest.mark.socket, pytest.mark.slow]),
    pytest.param("node", marks=[pytest.mark.node, pytest.mark.socket, pytest.mark.slow]),
]


@pytest.mark.parametrize("program", EXAMPLES)
def test_the_example_creates_searches_and_chains_twice(program: str, server: Process) -> None:
    argv = PROGRAMS[program]()
    for _ in range(2):  # a new address each run: it runs again against the same server
        done = _run(argv, server.url)
        assert done.returncode == 0, done.stdout + done.stderr
        lines = done.stdout.splitlines()
        assert [line.split(": ", 1)[0] for line in lines] == [
            "create_lead",
            "search_lead",
            "assign_tag + subscribe_lead_to_list",
            "create_lead again",
        ]
        assert '"type":"244"' in lines[-1]


@pytest.mark.parametrize("program", EXAMPLES)
def test_the_example_fails_on_an_unexpected_answer(program: str, server: Process) -> None:
    argv = PROGRAMS[program]()
    fault = {"kind": "kartra_error", "type": "243", "api_key": "demo-key", "times": 1}
    httpx.post(server.url + "/_mock/faults", json=fault, timeout=10).raise_for_status()
    try:
        done = _run(argv, server.url)
    finally:
        httpx.delete(server.url + "/_mock/faults", timeout=10).raise_for_status()
    assert done.returncode == 1
    assert done.stderr.startswith("unexpected: create_lead")
    assert '"type":"243"' in done.stderr
