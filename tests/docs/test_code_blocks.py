"""Every fenced code block of README.md, CONTRIBUTING.md and docs/ runs (or says why not).

One test per block, named by its file and line. How each language runs, and the directives, are
described in CONTRIBUTING.md ("Documentation that runs").
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from tests.docs import shell
from tests.docs.markdown import ROOT, Block, all_blocks
from tests.serving import free_port, running

PYTHON = {"python", "py", "python3"}
SHELL = {"sh", "bash", "shell"}
#: Shown, never run: output, synopses, trees.
LISTING = {"", "text", "txt", "plain", "output"}
DATA = {"json", "yaml", "yml"}

BLOCKS = all_blocks()


def _needs_subprocess(block: Block) -> bool:
    if block.not_run is not None or block.file is not None or block.malformed_directive:
        return False
    return block.language in PYTHON | SHELL | {"console"}


def _params() -> list[object]:
    return [
        pytest.param(
            block,
            id=block.where,
            marks=[pytest.mark.slow, pytest.mark.subprocess, pytest.mark.socket]
            if _needs_subprocess(block)
            else [],
        )
        for block in BLOCKS
        if block.language not in LISTING or block.not_run is not None or block.file is not None
    ]


@dataclass(frozen=True, slots=True)
class DocsServer:
    """The module's server and the world it started with."""

    url: str
    port: int
    initial: dict[str, object]


@pytest.fixture(scope="module")
def docs_server() -> Iterator[DocsServer]:
    """One ``kartra-mock serve`` for the module's blocks, started as the documentation does."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running([sys.executable, "-m", "kartra_mock", "serve", "--port", str(port)], url):
        initial = httpx.get(url + "/_mock/state", timeout=10).json()
        yield DocsServer(url, port, initial)


def _server(request: pytest.FixtureRequest) -> int:
    """The shared server's port, back to the world it started with (the block may replace it)."""
    server: DocsServer = request.getfixturevalue("docs_server")
    httpx.put(server.url + "/_mock/state", json=server.initial, timeout=10).raise_for_status()
    httpx.post(server.url + "/_mock/reset", timeout=10).raise_for_status()
    return server.port


@pytest.mark.parametrize("block", _params())
def test_block(block: Block, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    assert block.malformed_directive is None, (
        f"{block.where}: {block.malformed_directive!r} is not a directive; write "
        "<!-- not-run: reason --> or <!-- file: path -->"
    )
    if block.not_run is not None:
        assert block.not_run.strip(" .…"), f"{block.where}: <!-- not-run: --> needs a reason"
        return
    if block.file is not None:
        _check_included(block)
        return
    if block.language in DATA:
        _check_data(block)
    elif block.language in PYTHON:
        _run_python(block, request, tmp_path)
    elif block.language == "console":
        _run_console(block, request, tmp_path)
    elif block.language in SHELL:
        _run_shell(block, request, tmp_path)
    else:
        pytest.fail(
            f"{block.where}: no runner for ```{block.language} blocks: show a file of the "
            "repository with <!-- file: path -->, or say why it can't run with "
            "<!-- not-run: reason -->"
        )


def _check_included(block: Block) -> None:
    assert block.file
    path = ROOT / block.file
    assert path.is_file(), f"{block.where}: <!-- file: {block.file} --> names no file"
    assert block.text == path.read_text(encoding="utf-8"), (
        f"{block.where} differs from {block.file}; copy the file into the block"
    )


def _check_data(block: Block) -> None:
    try:
        if block.language == "json":
            json.loads(block.text)
        else:
            yaml.safe_load(block.text)
    except (ValueError, yaml.YAMLError) as error:
        pytest.fail(
            f"{block.where}: not valid {block.language} ({error}); if it is an excerpt, say so "
            "with <!-- not-run: reason -->"
        )


def _is_test_file(source: str) -> bool:
    tree = ast.parse(source)
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
        for node in tree.body
    )


def _run_python(block: Block, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    try:
        is_test = _is_test_file(block.text)
    except SyntaxError as error:
        pytest.fail(f"{block.where}: not valid Python: {error}")
    if is_test:
        pytester: pytest.Pytester = request.getfixturevalue("pytester")
        pytester.makepyfile(test_docs_block=block.text)
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
        outcomes = result.parseoutcomes()
        failed = set(outcomes) - {"passed", "warnings"}
        assert result.ret == 0, f"{block.where}: {outcomes}\n{result.stdout}"
        assert not failed, f"{block.where}: not every test passed: {outcomes}\n{result.stdout}"
        return
    port = _server(request)
    (tmp_path / "block.py").write_text(shell.localize(block.text, port), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "block.py"],
        cwd=tmp_path,
        env=shell.environment(port),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, (
        f"{block.where}: exited with {done.returncode}\n{done.stdout}\n{done.stderr}"
    )


def _port(block: Block, request: pytest.FixtureRequest) -> int:
    return free_port() if shell.starts_server(block.text) else _server(request)


def _run_shell(block: Block, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    port = _port(block, request)
    script = shell.localize(block.text, port)
    script = "\n".join(shell.pin_defaults(line, port) for line in script.splitlines())
    status, out = shell.run_script("set -e\n" + script, tmp_path, shell.environment(port), 60)
    assert status == 0, f"{block.where}: exited with {status}\n{out}"


def _run_console(block: Block, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    try:
        commands = shell.transcript(block.text)
    except ValueError as error:
        pytest.fail(f"{block.where}: {error}")
    own = shell.starts_server(block.text)
    port = _port(block, request)
    localized = [
        shell.Command(
            shell.localize(c.command, port),
            tuple(shell.localize(line, port) for line in c.expected),
        )
        for c in commands
    ]
    ran, rest = shell.run_transcript(localized, tmp_path, port, own_server=own)
    for result in ran:
        expected = result.command.shown_output
        report = (
            f"{block.where}: $ {result.command.command}\n"
            f"--- shown (exit {result.command.exit_status})\n" + "\n".join(expected) + "\n"
            f"--- printed (exit {result.status})\n{result.output}\n{rest}"
        )
        assert shell.matches(expected, result.output), report
        assert result.status == result.command.exit_status, report
    assert len(ran) == len(commands), f"{block.where}: not every command ran\n{rest}"
