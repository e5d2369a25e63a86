"""The conformance report: one line per rule — passed, failed (with its minimal failing
example) or skipped — as text for people and as JSON for tools.

Example::

    report = contracts.verify_server("http://127.0.0.1:8765", ..., raise_on_failure=False)
    print(report.render())
    assert report.ok
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import Enum

__all__ = ["ContractFailure", "Report", "RuleResult", "Status", "hypothesis_example"]


class Status(Enum):
    """How a rule ended."""

    PASSED = "pass"
    FAILED = "FAIL"
    SKIPPED = "skip"


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's result: ``detail`` says what went wrong (or why it was skipped), ``example``
    is hypothesis' minimal failing example."""

    rule: str
    summary: str
    source: str
    status: Status
    seconds: float = 0.0
    detail: str = ""
    example: str = ""

    def render(self) -> str:
        """The result as a few lines of text."""
        head = f"{self.status.value:<4}  {self.rule:<34} {self.source:<10} ({self.seconds:.1f} s)"
        if self.status is Status.PASSED:
            return head
        lines = [head]
        if self.status is Status.SKIPPED:
            return f"{head}  {self.detail}"
        lines.append(f"      {self.summary}")
        lines.extend(f"      {line}" for line in self.detail.splitlines())
        if self.example:
            lines.append("      Minimal failing example:")
            lines.extend(f"        {line}" for line in self.example.splitlines())
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        """The result as JSON."""
        return _fields_json(self)


@dataclass(frozen=True, slots=True)
class Report:
    """The results of one run of the suite against one system under test."""

    target: str
    profile: str
    results: tuple[RuleResult, ...]
    exercised: Mapping[str, int] = field(default_factory=dict)
    #: Contract warnings of the client's requests that ``accept=`` accepted, by rule.
    accepted: Mapping[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether no rule failed."""
        return not self.failures

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        """The rules that failed."""
        return tuple(result for result in self.results if result.status is Status.FAILED)

    def render(self) -> str:
        """The whole report as text."""
        lines = [f"kartra-mock contracts: {self.target} (profile {self.profile})"]
        lines.extend(result.render() for result in self.results)
        counts = dict.fromkeys(Status, 0)
        for result in self.results:
            counts[result.status] += 1
        lines.append(
            f"{len(self.results)} rules: {counts[Status.PASSED]} passed, "
            f"{counts[Status.FAILED]} failed, {counts[Status.SKIPPED]} skipped"
        )
        if self.exercised:
            calls = ", ".join(f"{kind} {count}" for kind, count in sorted(self.exercised.items()))
            lines.append(f"calls checked: {calls}")
        if self.accepted:
            shown = ", ".join(f"{rule} {count}" for rule, count in sorted(self.accepted.items()))
            lines.append(f"accepted contract warnings: {shown}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        """The report as JSON: the verdict (``ok``), then its fields."""
        return {"ok": self.ok, **_fields_json(self)}


def _json(value: object) -> object:
    """A report's value as JSON: a status by its lower-case name, seconds to the millisecond,
    a rule's result as its own JSON, a tuple as a list, a mapping as a dict."""
    if isinstance(value, Status):
        return value.name.lower()
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, RuleResult):
        return value.to_json()
    if isinstance(value, tuple):
        return [_json(item) for item in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _fields_json(instance: RuleResult | Report) -> dict[str, object]:
    """Every field of ``instance``, by name, as JSON."""
    return {each.name: _json(getattr(instance, each.name)) for each in fields(instance)}


class ContractFailure(AssertionError):
    """Raised by ``check_client`` / ``verify_server`` when a rule failed; carries the report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(report.render())


#: Lines hypothesis adds to a failure that say how to reproduce it, not what failed.
_INVARIANT = re.compile(r"state\.every_lead_reads_back_as_the_model_has_it\(\)")
_NOISE = ("You can reproduce", "@reproduce_failure", "You can add @seed", "Unreliable")


def hypothesis_example(error: BaseException) -> str:
    """The minimal failing example hypothesis attached to ``error`` (its ``__notes__``)."""
    notes = [str(note) for note in getattr(error, "__notes__", [])]
    kept = [note for note in notes if not note.startswith(_NOISE)]
    lines = "\n".join(kept).strip().splitlines()
    # The state machine's invariant runs after every step; its lines add nothing to a reading.
    lines = [line for line in lines if not _INVARIANT.fullmatch(line.strip())]
    text = "\n".join(lines)
    return text.removeprefix("Failing test case: <state machine>\n")
