"""Run a documentation block's shell commands, and compare a console transcript's output.

A ```console block is a transcript: a line starting with ``$ `` is a command (a line ending in
``\\`` continues it on the next line), the lines up to the next command are its expected
output. In the expected output, a line that is only ``...`` stands for any number of lines,
and ``...`` inside a line for any text within it. A command must exit 0 unless its output ends
with ``[exit N]``. A command ending in ``&`` runs in the background, its output kept apart; if
it starts the server, the next command waits until the server is healthy. Everything the block
started is stopped afterwards.

The documentation is written for the server's default address, ``127.0.0.1:8765``; the runner
moves it to a free port (the shared server's, or a fresh one when the block starts its own), also
where a command uses it by default (``serve`` without ``--port``, ``trigger``/``report``/``verify``
without ``--base-url``).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORT = 8765
_ADDRESS = re.compile(rf"\b(127\.0\.0\.1|localhost):{DEFAULT_PORT}\b")
_PORT_OPTION = re.compile(rf"--port([ =]){DEFAULT_PORT}\b")
_SERVE = re.compile(r"\b(?:kartra-mock|-m kartra_mock) serve\b")
_CLIENT_COMMAND = re.compile(r"\b(?:kartra-mock|-m kartra_mock) (?:trigger|report|verify)\b")
_EXIT = re.compile(r"^\[exit (\d+)\]$")
_MARK = "@@kartra-mock-docs@@"

# Background jobs are stopped, and waited for, however the script ends.
_STOP_JOBS = "trap 'kill $(jobs -p) 2>/dev/null || true; wait' EXIT\n"

_WAIT_HEALTHY = """\
import sys, time, httpx
url = sys.argv[1] + "/_mock/health"
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    try:
        if httpx.get(url, timeout=1).status_code == 200:
            sys.exit(0)
    except httpx.TransportError:
        pass
    time.sleep(0.05)
print(f"(the documentation runner: {url} did not answer within 15 s)")
"""


def starts_server(text: str) -> bool:
    """Whether the block runs ``kartra-mock serve`` itself."""
    return _SERVE.search(text) is not None


def localize(text: str, port: int) -> str:
    """The block's text with the default address and ``--port 8765`` moved to ``port``."""
    text = _ADDRESS.sub(lambda found: f"{found[1]}:{port}", text)
    return _PORT_OPTION.sub(lambda found: f"--port{found[1]}{port}", text)


def pin_defaults(command: str, port: int) -> str:
    """Make the default port explicit where a command would use it without saying so.

    ``kartra-mock serve`` without ``--port`` gets ``--port port``; ``trigger``, ``report`` and
    ``verify`` without ``--base-url`` get the server's URL.
    """
    if _SERVE.search(command) is not None and "--port" not in command:
        return _SERVE.sub(lambda found: f"{found[0]} --port {port}", command, count=1)
    if _CLIENT_COMMAND.search(command) is not None and "--base-url" not in command:
        return _CLIENT_COMMAND.sub(
            lambda found: f"{found[0]} --base-url http://127.0.0.1:{port}", command, count=1
        )
    return command


@dataclass(frozen=True, slots=True)
class Command:
    """One ``$`` command of a transcript and the output shown for it."""

    command: str
    expected: tuple[str, ...]

    @property
    def background(self) -> bool:
        return self.command.rstrip().endswith("&") and not self.command.rstrip().endswith("&&")

    @property
    def exit_status(self) -> int:
        found = _EXIT.match(self.expected[-1].strip()) if self.expected else None
        return int(found[1]) if found else 0

    @property
    def shown_output(self) -> tuple[str, ...]:
        """The expected output without its ``[exit N]`` line."""
        if self.expected and _EXIT.match(self.expected[-1].strip()):
            return self.expected[:-1]
        return self.expected


def transcript(text: str) -> list[Command]:
    """The commands of a console block; text before the first ``$`` line is an error."""
    commands: list[Command] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            raise ValueError(f"line {index + 1} of the block is output before any `$ ` command")
        command = [line[2:]]
        while command[-1].endswith("\\") and index + 1 < len(lines):
            index += 1
            command.append(lines[index])
        index += 1
        output: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        commands.append(Command("\n".join(command), tuple(output)))
    return commands


def matches(expected: tuple[str, ...], actual: str) -> bool:
    """Whether ``actual`` is what ``expected`` shows, with ``...`` placeholders."""
    pattern = ""
    for line in _trim([line.rstrip() for line in expected]):
        if line.strip() == "...":
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += ".*?".join(re.escape(part) for part in line.split("...")) + r"\n"
    text = "".join(line + "\n" for line in _trim([line.rstrip() for line in actual.splitlines()]))
    return re.fullmatch(pattern, text, re.DOTALL) is not None


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass(frozen=True, slots=True)
class Ran:
    """What one command printed (stdout and stderr, as a terminal shows them) and its status."""

    command: Command
    output: str
    status: int


def environment(port: int) -> dict[str, str]:
    """The block's environment: this interpreter's scripts first on PATH, the server's URL."""
    scripts = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": scripts + os.pathsep + os.environ.get("PATH", ""),
        "KARTRA_MOCK_URL": f"http://127.0.0.1:{port}",
    }


def run_script(script: str, cwd: Path, env: Mapping[str, str], timeout: float) -> tuple[int, str]:
    """Run ``bash`` on ``script``; stop everything it started; its status and output."""
    (cwd / "block.sh").write_text(_STOP_JOBS + script, encoding="utf-8")
    process = subprocess.Popen(
        ["bash", "block.sh"],
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop_group(process.pid)
        out, _ = process.communicate()
        return -1, out + f"\n(the documentation runner: stopped after {timeout:.0f} s)"
    finally:
        _stop_group(process.pid)
    return process.returncode, out


def _stop_group(pgid: int) -> None:
    """Kill whatever the block's own process group still holds (the script stops its jobs)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def run_transcript(
    commands: list[Command], cwd: Path, port: int, *, own_server: bool, timeout: float = 60
) -> tuple[list[Ran], str]:
    """Run the commands in one shell (so ``cd`` and variables carry over)."""
    (cwd / "wait_healthy.py").write_text(_WAIT_HEALTHY, encoding="utf-8")
    script = [f'wait_healthy() {{ "{sys.executable}" wait_healthy.py "$1"; }}\n']
    for command in commands:
        text = pin_defaults(command.command, port)
        if command.background:
            script.append(f"( {text.rstrip()[:-1]} ) >>background.log 2>&1 &\n")
            if own_server and starts_server(text):
                script.append(f"wait_healthy http://127.0.0.1:{port}\n")
            script.append(f"printf '\\n{_MARK} 0\\n'\n")
        else:
            script.append(f"{text}\nprintf '\\n{_MARK} %d\\n' $?\n")
    status, out = run_script("".join(script), cwd, environment(port), timeout)
    parts = re.split(rf"\n{re.escape(_MARK)} (\d+)\n", out)
    ran = [
        Ran(command, parts[2 * index], int(parts[2 * index + 1]))
        for index, command in enumerate(commands)
        if 2 * index + 1 < len(parts)
    ]
    background = cwd / "background.log"
    log = background.read_text(encoding="utf-8") if background.exists() else ""
    rest = parts[-1] if len(parts) % 2 else ""
    if status != 0 or len(ran) < len(commands):
        rest += f"\n(the shell exited with {status} after {len(ran)} of {len(commands)} commands)"
    return ran, log + rest
