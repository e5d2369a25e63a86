"""Contract-suite throughput in-process: hypothesis examples and checked calls per second.

Both directions of the kit run against an in-process mock with its ``ci`` profile — what a
user's CI runs: ``check_client`` with the sync reference client (without the resilience rules,
which wait real seconds on injected 429s) and ``verify_server`` through an in-process transport.
Examples are counted through hypothesis' observability callbacks, in a child process whose
environment turns off the coverage those callbacks would otherwise collect (it slows hypothesis
tenfold); calls are the suite's own count of the calls it checked.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure

__all__ = ["count_examples", "measure"]

SECTION = "contracts"


@contextmanager
def count_examples() -> Iterator[Callable[[], int | None]]:
    """Count hypothesis test cases run inside the block; the counter gives ``None`` when this
    hypothesis has no observability callbacks (an internal API)."""
    try:
        from hypothesis.internal.observability import (
            add_observability_callback,
            remove_observability_callback,
        )
    except ImportError:  # pragma: no cover - depends on the installed hypothesis
        yield lambda: None
        return
    seen = [0]

    def observe(observation: Any) -> None:
        if getattr(observation, "type", None) == "test_case":
            seen[0] += 1

    add_observability_callback(observe)
    try:
        yield lambda: seen[0]
    finally:
        remove_observability_callback(observe)


def _figures(name: str, run: Callable[[], Any]) -> list[Figure]:
    with count_examples() as examples:
        started = time.perf_counter()
        report = run()
        seconds = time.perf_counter() - started
    counted = examples()
    calls = sum(report.exercised.values())
    note = "" if report.ok else f"the suite failed: {report.render()[-500:]}"
    return [
        Figure(SECTION, f"{name}: run time", seconds, "s", note=note),
        Figure(
            SECTION,
            f"{name}: examples/s",
            None if counted is None else counted / seconds,
            "examples/s",
            note="" if counted is None else f"{counted} examples",
        ),
        Figure(SECTION, f"{name}: checked calls/s", calls / seconds, "calls/s"),
    ]


def _measure_here(rules: Sequence[str] | None) -> list[Figure]:
    """Run the suite both ways in this process (all rules, or those given) and time it."""
    import contracts
    from contracts.api import reference_client
    from kartra_mock.engine.backend import Overrides
    from kartra_mock.server.app import create_app
    from kartra_mock.testing.asgi import SyncASGITransport

    chosen = None if rules is None else list(rules)
    # Warm-up: imports and hypothesis' first run are start-up, not throughput.
    contracts.check_client(
        reference_client(), rules=["leads.missing-is-243"], resilience=False, raise_on_failure=False
    )
    figures = _figures(
        "check_client(reference_client()), ci profile",
        lambda: contracts.check_client(
            reference_client(), rules=chosen, resilience=False, raise_on_failure=False
        ),
    )
    transport = SyncASGITransport(create_app(overrides=Overrides(rate_limit=0)))
    try:
        figures += _figures(
            "verify_server (in-process), ci profile",
            lambda: contracts.verify_server(
                "http://kartra-mock.invalid",
                "demo-app",
                "demo-key",
                "demo-password",
                rules=chosen,
                transport=transport,
                raise_on_failure=False,
            ),
        )
    finally:
        transport.close()
    return figures


def measure(rules: Sequence[str] | None) -> list[Figure]:
    """The contract-suite figures, measured in a child process (all rules, or those given)."""
    argv = [sys.executable, "-m", "benchmarks.contract_suite"]
    if rules is not None:
        argv += ["--rules", ",".join(rules)]
    environment = {**os.environ, "HYPOTHESIS_EXPERIMENTAL_OBSERVABILITY_NOCOVER": "1"}
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        argv, capture_output=True, text=True, check=True, cwd=root, env=environment
    )
    return [
        Figure(SECTION, item["name"], item["value"], item["unit"], note=item["note"])
        for item in json.loads(done.stdout)
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Child process: print the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.contract_suite")
    parser.add_argument("--rules", help="comma-separated rule ids or prefixes (default: all)")
    args = parser.parse_args(argv)
    rules = None if args.rules is None else args.rules.split(",")
    figures = _measure_here(rules)
    print(
        json.dumps(
            [{"name": f.name, "value": f.value, "unit": f.unit, "note": f.note} for f in figures]
        )
    )


if __name__ == "__main__":
    main()
