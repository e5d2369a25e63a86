"""What a benchmark reports: figures with their units and goals, and the statistics behind them.

Pure functions and values only (no I/O), so that the smoke test can run them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Figure", "Goal", "at_least", "at_most", "format_value", "median", "percentile"]


def percentile(samples: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile (0–100) by linear interpolation between closest ranks.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    if not samples:
        raise ValueError("no samples")
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile {pct} is not between 0 and 100")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: Sequence[float]) -> float:
    """The 50th percentile."""
    return percentile(samples, 50)


@dataclass(frozen=True, slots=True)
class Goal:
    """A target from the benchmarks issue and whether a figure meets it."""

    text: str
    met: bool


def at_least(value: float, threshold: float, text: str) -> Goal:
    """A goal met when ``value >= threshold``."""
    return Goal(text, value >= threshold)


def at_most(value: float, threshold: float, text: str) -> Goal:
    """A goal met when ``value <= threshold``."""
    return Goal(text, value <= threshold)


@dataclass(frozen=True, slots=True)
class Figure:
    """One measured figure. ``value`` is ``None`` when it could not be measured (see ``note``)."""

    section: str
    name: str
    value: float | None
    unit: str
    goal: Goal | None = None
    note: str = ""

    @property
    def shown(self) -> str:
        """The value with its unit, for tables."""
        return format_value(self.value, self.unit)

    @property
    def verdict(self) -> str:
        """``met`` / ``NOT met`` / empty when the figure has no goal."""
        if self.goal is None:
            return ""
        if self.value is None:
            return "not measured"
        return "met" if self.goal.met else "NOT met"


def format_value(value: float | None, unit: str) -> str:
    """A value formatted for its unit: ``5,120 calls/s``, ``1.84 ms``, ``0.93×``.

    >>> format_value(5120.4, "calls/s"), format_value(0.9312, "×"), format_value(None, "ms")
    ('5,120 calls/s', '0.93×', '—')
    """
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit in ("ms", "µs"):
        digits = 3 if value < 1 else 2 if value < 100 else 0
        return f"{value:,.{digits}f} {unit}"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:,.1f} s"
    if unit == "MB":
        return f"{value:,.1f} MB"
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f} {unit}"
    return f"{value:,.2f} {unit}"
