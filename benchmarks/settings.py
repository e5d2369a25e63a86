"""How long and how often each benchmark runs: ``--quick`` for a look, the default for figures."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["DEFAULT", "QUICK", "SECTIONS", "Settings"]

#: Every section, in the order they run and print.
SECTIONS = (
    "http",
    "inprocess",
    "fixtures",
    "startup",
    "scaling",
    "state",
    "contracts",
    "webhooks",
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Durations, repetitions and sizes of one run."""

    #: Seconds of each measured wrk run, and of the warm-up run before the first.
    http_seconds: float = 10.0
    http_warmup_seconds: float = 3.0
    #: Measured runs per server; the median run is reported.
    http_repeats: int = 3
    #: Open connections wrk keeps (one wrk thread, on the core the server is not pinned to).
    http_connections: int = 16
    #: Also measure uvicorn's pure-Python stack (h11 + asyncio), not only the fast one.
    http_pure_stack: bool = True
    #: Leads seeded before the HTTP runs: edit_lead and search_lead pick among them.
    http_seeded_leads: int = 1000
    #: Seconds of each in-process loop.
    inprocess_seconds: float = 5.0
    #: Trivial tests per pytest run of the fixture benchmark, and pairs of runs per variant.
    fixture_tests: int = 1000
    fixture_repeats: int = 3
    #: Start-ups (and imports, and pytest runs) timed; the median is reported.
    startup_repeats: int = 10
    #: Account sizes at which create/search latency is sampled; the first is the baseline.
    scaling_sizes: tuple[int, ...] = (1_000, 100_000, 1_000_000)
    #: Calls timed per operation and size.
    scaling_samples: int = 3000
    #: Leads in the account whose state document is dumped and loaded.
    state_leads: int = 100_000
    #: Contract rules run (ids or prefixes); ``None``: the whole suite.
    contract_rules: tuple[str, ...] | None = None
    #: Webhooks delivered per delivery run (over HTTP, then in-process).
    webhook_events: int = 3000
    #: Rounds × calls per mock of the paired /api latency runs, at each account size.
    webhook_rounds: int = 20
    webhook_calls: int = 400
    webhook_sizes: tuple[int, ...] = (1, 100_000)

    def with_http_seconds(self, seconds: float | None) -> Settings:
        """The same settings with another measured HTTP duration (``--duration``)."""
        return self if seconds is None else replace(self, http_seconds=seconds)

    def with_http_repeats(self, repeats: int) -> Settings:
        """The same settings with another number of measured HTTP runs (``--repeats``)."""
        return replace(self, http_repeats=max(1, repeats))


#: The figures for RESULTS.md: about six minutes on a 2-core machine.
DEFAULT = Settings()

#: A quick look (about a minute): shorter runs, smaller worlds, one stack.
QUICK = Settings(
    http_seconds=3.0,
    http_warmup_seconds=1.0,
    http_repeats=1,
    http_pure_stack=False,
    inprocess_seconds=1.5,
    fixture_tests=200,
    fixture_repeats=1,
    startup_repeats=3,
    scaling_sizes=(1_000, 10_000, 100_000),
    scaling_samples=1000,
    state_leads=10_000,
    contract_rules=("leads.create-and-read", "leads.duplicate-is-244", "leads.stateful"),
    webhook_events=500,
    webhook_rounds=6,
    webhook_calls=150,
    webhook_sizes=(1, 10_000),
)
