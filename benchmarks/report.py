"""The machine's description, the printed table and ``benchmarks/RESULTS.md``.

:func:`describe_machine` reads the machine; everything else here is pure rendering.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.figures import Figure

__all__ = ["Machine", "describe_machine", "render_results", "render_table", "uvicorn_stack"]


@dataclass(frozen=True, slots=True)
class Machine:
    """Facts about the machine and software a run measured, in display order."""

    facts: tuple[tuple[str, str], ...]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def uvicorn_stack() -> str:
    """What uvicorn's ``auto`` settings pick here: httptools + uvloop where installed."""
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{http} + {loop}"


def _wrk_version() -> str:
    if shutil.which("wrk") is None:
        return "not installed"
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].split("Copyright")[0].strip() if first else "unknown"


def _peer_versions() -> str:
    modules = Path(__file__).resolve().parent / "peers" / "node_modules"
    found = []
    for name, package in (("Prism", "@stoplight/prism-cli"), ("Mockoon", "@mockoon/cli")):
        try:
            manifest = json.loads((modules / package / "package.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        found.append(f"{name} {manifest.get('version', '?')}")
    if not found:
        return "not installed (npm install --prefix benchmarks/peers)"
    node = shutil.which("node")
    if node is None:
        return ", ".join(found)
    done = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    return ", ".join(found) + f" on Node.js {done.stdout.strip() or '?'}"


def describe_machine(load_before: float, load_after: float) -> Machine:
    """The machine this run measured, with the load average (noise) before and after it."""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cores = f"{os.cpu_count()}" + (f" ({affinity} usable)" if affinity != os.cpu_count() else "")
    packages = ", ".join(
        f"{name} {_version(name)}" for name in ("starlette", "uvicorn", "httptools", "uvloop")
    )
    return Machine(
        (
            ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
            ("CPU", _cpu_model()),
            ("cores", cores),
            ("memory", _memory()),
            ("OS", platform.platform()),
            ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
            ("uvicorn stack (auto)", uvicorn_stack()),
            ("packages", packages),
            ("load generator", _wrk_version()),
            ("peers", _peer_versions()),
            ("load average (1 min) before / after", f"{load_before:.2f} / {load_after:.2f}"),
        )
    )


def _columns(figures: Sequence[Figure]) -> list[tuple[str, str, str, str, str]]:
    return [(f.section, f.name, f.shown, f.goal.text if f.goal else "", f.verdict) for f in figures]


def render_table(figures: Sequence[Figure]) -> str:
    """The figures as a plain-text table for the terminal."""
    header = ("section", "figure", "value", "goal", "")
    rows = [header, *_columns(figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        cells[2] = row[2].rjust(widths[2])
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_results(
    figures: Sequence[Figure], machine: Machine, command: str, notes: Sequence[str]
) -> str:
    """``benchmarks/RESULTS.md``: the machine, the figures with their goals, and the notes."""
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{command}`. Measured on a shared, noisy machine: compare ratios "
        "(the mock against the bare starlette app on the same server stack, 1 M leads against "
        "1 thousand) rather than absolute figures. Goals are those of the benchmarks issue.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {_cell(name)} | {_cell(value)} |" for name, value in machine.facts),
        "",
        "## Figures",
        "",
        "| section | figure | value | goal | |",
        "|---|---|--:|---|---|",
        *(f"| {' | '.join(_cell(cell) for cell in row)} |" for row in _columns(figures)),
        "",
    ]
    explained = [f for f in figures if f.note]
    if explained or notes:
        lines += ["## Notes", ""]
        lines += [f"- **{f.section} / {f.name}**: {f.note}" for f in explained]
        lines += [f"- {note}" for note in notes]
        lines.append("")
    return "\n".join(lines)
