"""Per-test cost of the pytest fixtures, and of one call next to respx and pytest-httpx.

Each figure is a difference of two pytest runs in a child process: N trivial tests that use
the fixture (or make one call) minus N trivial tests that do not, divided by N. The runs of a
pair follow each other and pairs repeat, so a burst of load from elsewhere hits both halves
alike; the median pair is reported. respx and pytest-httpx (the ``bench`` extra) answer the
same one call with a static stub: the ratio says what a stateful mock costs over a stub.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figure, at_most, median

__all__ = ["VARIANTS", "measure", "test_file"]

SECTION = "fixtures"
_CALL = (
    '    HTTP.post("https://app.kartra.com/api", data={"app_id": "demo-app", '
    '"api_key": "demo-key", "api_password": "demo-password", '
    '"lead[email]": f"t{n}@example.com", "actions[0][cmd]": "create_lead"})\n'
)
_STUB = (
    '{"status": "Success", "actions": [{"create_lead": {"status": "Success", '
    '"lead_details": {"id": "1"}}}]}'
)

#: name -> (fixture the tests take, lines before the call, whether they make the call).
VARIANTS: dict[str, tuple[str, str, bool]] = {
    "none": ("", "", False),
    "kartra_inprocess": ("kartra_inprocess", "", False),
    "kartra_live": ("kartra_live", "", False),
    "none + one call": ("", "", True),
    "kartra_inprocess + one call": ("kartra_inprocess", "", True),
    "respx + one call": (
        "respx_mock",
        f'    respx_mock.post("https://app.kartra.com/api").respond(json={_STUB})\n',
        True,
    ),
    "pytest-httpx + one call": (
        "httpx_mock",
        f'    httpx_mock.add_response(url="https://app.kartra.com/api", json={_STUB})\n',
        True,
    ),
}
_NEEDS = {"respx + one call": "respx", "pytest-httpx + one call": "pytest_httpx"}


def test_file(variant: str, count: int) -> str:
    """A test module of ``count`` trivial tests of one variant."""
    fixture, setup, calls = VARIANTS[variant]
    lines = ["import httpx\n\n"]
    if variant == "none + one call":  # the call needs an answer: a transport that gives one
        lines.append(
            "HTTP = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200)))\n\n"
        )
    elif calls:  # one client for the module, as an application keeps one; each mock intercepts it
        lines.append("HTTP = httpx.Client()\n\n")
    for n in range(count):
        lines.append(f"def test_{n}({fixture}):\n    n = {n}\n{setup}")
        lines.append(_CALL if calls else "    pass\n")
    return "".join(lines)


def _run(folder: Path, variant: str) -> float:
    """Seconds one pytest run of the variant's module takes, start to end."""
    module = folder / f"test_{variant.replace(' ', '_').replace('+', 'and').replace('-', '_')}.py"
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    argv += ["-c", str(folder / "pytest.ini"), "--rootdir", str(folder), str(module)]
    if "pytest-httpx" not in variant:
        argv += ["-p", "no:pytest_httpx"]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=folder)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"pytest run of {variant!r} failed:\n{done.stdout[-3000:]}")
    return took


def measure(count: int, repeats: int) -> list[Figure]:
    """The per-test costs and ratios, from ``repeats`` pairs of runs of ``count`` tests."""
    missing = [v for v, module in _NEEDS.items() if importlib.util.find_spec(module) is None]
    variants = [v for v in VARIANTS if v not in missing]
    costs: dict[str, list[float]] = {v: [] for v in variants}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "pytest.ini").write_text("[pytest]\n", "utf-8")
        for variant in variants:
            module = variant.replace(" ", "_").replace("+", "and").replace("-", "_")
            (folder / f"test_{module}.py").write_text(test_file(variant, count), "utf-8")
        for _ in range(repeats):
            for variant in variants:
                base = "none + one call" if VARIANTS[variant][2] else "none"
                if variant == base:
                    continue
                before = _run(folder, base)
                costs[variant].append((_run(folder, variant) - before) / count * 1000)
    figures: list[Figure] = []
    goals = {"kartra_inprocess": 1.0, "kartra_live": 2.0}
    for variant, samples in costs.items():
        if not samples:
            continue
        value = median(samples)
        goal = goals.get(variant)
        spread = f"pairs {min(samples):.2f}–{max(samples):.2f} ms, {count:,} tests each"
        figures.append(
            Figure(
                SECTION,
                f"{variant}: per-test cost",
                value,
                "ms",
                None if goal is None else at_most(value, goal, f"≤ {goal:g} ms"),
                note=spread,
            )
        )
    ours = costs.get("kartra_inprocess + one call")
    for peer in ("respx + one call", "pytest-httpx + one call"):
        theirs = costs.get(peer)
        if ours and theirs and median(theirs) > 0:
            figures.append(
                Figure(
                    SECTION,
                    f"kartra_inprocess / {peer.split(' ')[0]}, one call per test",
                    median(ours) / median(theirs),
                    "×",
                    note="a stateful mock against a static stub",
                )
            )
    for peer in missing:
        figures.append(
            Figure(
                SECTION,
                f"{peer}: per-test cost",
                None,
                "ms",
                note=f"{_NEEDS[peer]} is not installed (pip install -e '.[bench]')",
            )
        )
    if os.environ.get("PYTEST_XDIST_WORKER"):  # pragma: no cover - never measured under xdist
        raise RuntimeError("run the fixture benchmark outside pytest-xdist")
    return figures
