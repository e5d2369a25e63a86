"""What a fuzz run found: tallies, memory samples, the summary and its RESULTS.md section."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["END", "START", "Tally", "carry_fuzz_section", "splice_fuzz_section"]

#: The fuzz section of RESULTS.md lies between these lines; ``python -m benchmarks`` keeps it.
START = "<!-- fuzz: written by python -m benchmarks.fuzz -->"
END = "<!-- /fuzz -->"
_SAMPLES_PER_BUCKET = 3


@dataclass
class Tally:
    """Outcomes of a run so far: statuses per kind, hangs, server defects, RSS samples."""

    sent: int = 0
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    #: Case numbers of 5xx answers, hangs and unanswered requests, a few per bucket.
    samples: dict[str, list[int]] = field(default_factory=dict)
    #: (requests sent so far, server RSS in bytes).
    rss: list[tuple[int, int]] = field(default_factory=list)
    tracebacks: int = 0
    exceptions: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def record(self, kind: str, number: int, status: int) -> None:
        """One answer: ``status`` is the HTTP status, 0 unanswered (closed), -1 a hang."""
        self.sent += 1
        self.statuses[(kind, status)] += 1
        if status >= 500 or status <= 0:
            bucket = self.samples.setdefault(f"{kind} {_label(status)}", [])
            if len(bucket) < _SAMPLES_PER_BUCKET:
                bucket.append(number)

    def count(self, test: str) -> int:
        """Requests whose outcome is ``5xx``, ``hang`` or ``closed``."""
        wanted = {"5xx": lambda s: s >= 500, "hang": lambda s: s == -1, "closed": lambda s: s == 0}
        return sum(n for (_, status), n in self.statuses.items() if wanted[test](status))

    def memory(self) -> tuple[int, int, int, int]:
        """RSS at the start, after the first fifth of the run, at its peak and at the end."""
        if not self.rss:
            return (0, 0, 0, 0)
        fifth = next((rss for sent, rss in self.rss if sent >= self.sent // 5), self.rss[-1][1])
        return (self.rss[0][1], fifth, max(rss for _, rss in self.rss), self.rss[-1][1])

    def progress(self, total: int, rate: float) -> str:
        """One progress line."""
        return (
            f"{self.sent:>9,}/{total:,}  {rate:7,.0f} req/s  5xx {self.count('5xx')}  "
            f"hangs {self.count('hang')}  unanswered {self.count('closed')}  "
            f"rss {_mb(self.rss[-1][1] if self.rss else 0)}"
        )

    def summary(self, seed: int, concurrency: int, timeout: float) -> list[str]:
        """The result as Markdown lines (also printed at the end of the run)."""
        start, fifth, peak, end = self.memory()
        kinds = sorted({kind for kind, _ in self.statuses})
        lines = [
            f"`python -m benchmarks.fuzz --count {self.sent} --seed {seed}` "
            f"({concurrency} connections at once, {timeout:g} s per-request timeout): "
            f"{self.sent:,} requests in {self.seconds:.0f} s "
            f"({self.sent / max(self.seconds, 1e-9):,.0f} req/s).",
            "",
            "| outcome | count | target |",
            "|---|--:|---|",
            f"| HTTP 5xx | {self.count('5xx')} | 0 |",
            f"| hangs (no answer within the timeout) | {self.count('hang')} | 0 |",
            f"| tracebacks in the server's output | {self.tracebacks} | 0 |",
            f"| closed without an answer | {self.count('closed')} | (malformed HTTP only) |",
            f"| server RSS: start / after 1/5 / peak / end | {_mb(start)} / {_mb(fifth)} / "
            f"{_mb(peak)} / {_mb(end)} | bounded |",
            "",
            "| kind | answers by HTTP status |",
            "|---|---|",
        ]
        for kind in kinds:
            row = sorted((s, n) for (k, s), n in self.statuses.items() if k == kind)
            lines.append(f"| {kind} | {', '.join(f'{_label(s)}: {n:,}' for s, n in row)} |")
        if self.exceptions:
            lines += ["", "Tracebacks in the server's output, by exception:", ""]
            lines += [f"- {n} × `{line}`" for line, n in self.exceptions.most_common()]
        if self.samples:
            lines += ["", "Cases to replay (`--replay N`):", ""]
            lines += [f"- {bucket}: {numbers}" for bucket, numbers in sorted(self.samples.items())]
        return lines


def _label(status: int) -> str:
    return {0: "unanswered", -1: "hang"}.get(status, str(status))


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def splice_fuzz_section(document: str, section: list[str]) -> str:
    """``document`` (RESULTS.md) with its fuzz section replaced by (or ended with) ``section``."""
    block = "\n".join([START, "## Fuzz", "", *section, END])
    before, found, rest = document.partition(START)
    if not found:
        return document.rstrip("\n") + "\n\n" + block + "\n"
    return before + block + rest.partition(END)[2]


def carry_fuzz_section(new: str, old: str) -> str:
    """``new`` (freshly rendered RESULTS.md) with the fuzz section ``old`` held, if any."""
    _, found, rest = old.partition(START)
    if not found:
        return new
    body = rest.partition(END)[0]
    return new.rstrip("\n") + "\n\n" + START + body + END + "\n"
