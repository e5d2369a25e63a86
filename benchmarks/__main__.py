"""``python -m benchmarks``: run every benchmark, print a table, write ``RESULTS.md``.

Example::

    python -m benchmarks --quick                    # about a minute
    python -m benchmarks                            # the figures for RESULTS.md
    python -m benchmarks --only http --duration 30  # one section, longer runs
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import (
    contract_suite,
    fixtures,
    http_load,
    inprocess,
    scaling,
    startup,
    state_document,
    webhooks,
)
from benchmarks.figures import Figure
from benchmarks.fuzz_report import carry_fuzz_section
from benchmarks.report import describe_machine, render_results, render_table
from benchmarks.settings import DEFAULT, QUICK, SECTIONS, Settings

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure kartra-mock: HTTP throughput against a bare starlette app, "
        "in-process calls, start-up, scaling to a million leads, state documents, the "
        "contract suite, webhook delivery. Prints a table and writes benchmarks/RESULTS.md.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="short runs and smaller worlds (about a minute)"
    )
    parser.add_argument(
        "--duration", type=float, metavar="S", help="seconds of each measured HTTP run"
    )
    parser.add_argument(
        "--repeats", type=int, metavar="N", help="measured HTTP runs per server (median)"
    )
    parser.add_argument(
        "--only",
        metavar="SECTIONS",
        help=f"comma-separated sections to run, of: {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS,
        help="where to write the results (default: benchmarks/RESULTS.md)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    return parser


def _run(section: str, settings: Settings) -> tuple[list[Figure], list[str]]:
    if section == "http":
        return http_load.measure(settings)
    if section == "inprocess":
        return inprocess.measure(settings.inprocess_seconds), []
    if section == "fixtures":
        return fixtures.measure(settings.fixture_tests, settings.fixture_repeats), []
    if section == "startup":
        return startup.measure(settings.startup_repeats)
    if section == "scaling":
        return scaling.measure(settings.scaling_sizes, settings.scaling_samples)
    if section == "state":
        return state_document.measure(settings.state_leads), []
    if section == "webhooks":
        return webhooks.measure(
            settings.webhook_events,
            settings.webhook_rounds,
            settings.webhook_calls,
            settings.webhook_sizes,
        )
    return contract_suite.measure(settings.contract_rules), []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen sections; 2 on a usage error, else 0."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = (QUICK if args.quick else DEFAULT).with_http_seconds(args.duration)
    if args.repeats is not None:
        settings = settings.with_http_repeats(args.repeats)
    sections = SECTIONS if args.only is None else tuple(args.only.split(","))
    unknown = [name for name in sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    load_before = os.getloadavg()[0]
    figures: list[Figure] = []
    notes: list[str] = []
    for section in sections:
        started = time.perf_counter()
        print(f"running {section} …", file=sys.stderr, flush=True)
        found, said = _run(section, settings)
        figures += found
        notes += said
        print(f"  {section} took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    machine = describe_machine(load_before, os.getloadavg()[0])
    print(render_table(figures))
    if not args.no_write:
        command = "python -m benchmarks" + (" " + " ".join(argv or sys.argv[1:])).rstrip()
        rendered = render_results(figures, machine, command, notes)
        # The fuzz run (python -m benchmarks.fuzz) keeps its own section of the same file.
        old = args.output.read_text("utf-8") if args.output.exists() else ""
        args.output.write_text(carry_fuzz_section(rendered, old), "utf-8")
        print(f"\nwrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
