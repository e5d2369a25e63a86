"""``kartra-mock report``: a summary of a running mock's request journal, read over HTTP.

Calls per command, errors per Kartra ``type``, HTTP statuses, injected faults and the contract
warnings with the rule, its source (documented / observed / inferred) and its reference: what a
CI job prints after its integration tests ran against the mock. The summary works on the
journal's JSON alone (``GET /_mock/requests``), so it can read any kartra-mock, local or not.

Example::

    entries = fetch_journal("http://127.0.0.1:8765")
    print(summarize(entries).render())
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "ErrorCount",
    "Report",
    "ReportError",
    "WarningCount",
    "fetch_journal",
    "summarize",
]


class ReportError(Exception):
    """The journal could not be read; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ErrorCount:
    """How often one Kartra error ``type`` was answered."""

    type_code: str
    message: str
    count: int


@dataclass(frozen=True, slots=True)
class WarningCount:
    """How often one contract rule was broken, with an example of what the request did (its
    fields, in order, are the keys ``report --json`` writes)."""

    rule: str
    source: str
    reference: str
    count: int
    example: str


@dataclass(frozen=True, slots=True)
class Report:
    """The journal, summed up."""

    calls: int
    commands: dict[str, int]
    statuses: dict[str, int]
    errors: list[ErrorCount]
    warnings: list[WarningCount]
    faults: dict[str, int]
    #: Warnings of rules the server was told to accept (``--accept-rule``): shown, not failed on.
    accepted: list[WarningCount] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The summary as ``kartra-mock report --json`` prints it."""
        return {
            "calls": self.calls,
            "commands": self.commands,
            "statuses": self.statuses,
            "errors": [
                {"type": e.type_code, "message": e.message, "count": e.count} for e in self.errors
            ],
            "warnings": [asdict(w) for w in self.warnings],
            "accepted_warnings": [asdict(w) for w in self.accepted],
            "faults": self.faults,
        }

    def render(self) -> str:
        """The summary as plain-text tables."""
        lines = [f"{self.calls} call(s) in the journal"]

        def table(title: str, rows: list[tuple[str, ...]]) -> None:
            lines.extend(["", title])
            if not rows:
                lines.append("  (none)")
                return
            widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
            for row in rows:
                cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
                lines.append("  " + "  ".join([*cells, row[-1]]).rstrip())

        table("calls per command", [(str(n), cmd) for cmd, n in self.commands.items()])
        table("HTTP status", [(str(n), status) for status, n in self.statuses.items()])
        table(
            "errors per type",
            [(str(e.count), e.type_code, e.message) for e in self.errors],
        )
        for title, counts in (
            ("contract warnings", self.warnings),
            ("accepted contract warnings (--accept-rule)", self.accepted),
        ):
            table(
                title,
                [
                    (str(w.count), w.rule, w.source, f"{w.reference} — e.g. {w.example}")
                    for w in counts
                ],
            )
        table("injected faults", [(str(n), kind) for kind, n in self.faults.items()])
        return "\n".join(lines)


def _warning_counts(
    counter: Counter[str], rules: Mapping[str, Mapping[str, Any]]
) -> list[WarningCount]:
    return [
        WarningCount(
            rule,
            str(rules[rule].get("source", "")),
            str(rules[rule].get("reference", "")),
            n,
            str(rules[rule].get("detail", "")),
        )
        for rule, n in _by_count(counter).items()
    ]


def _by_count(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def summarize(entries: Iterable[Mapping[str, Any]]) -> Report:
    """Sum up journal entries (as ``GET /_mock/requests`` lists them)."""
    calls = 0
    commands: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    messages: dict[str, str] = {}
    warnings: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    rules: dict[str, Mapping[str, Any]] = {}
    faults: Counter[str] = Counter()
    for entry in entries:
        calls += 1
        # The call's outcome as the server recorded it: nothing is re-read from its answer.
        commands.update(str(command) for command in entry.get("commands") or [])
        statuses[str(entry.get("status_code", "?"))] += 1
        for error in entry.get("errors") or []:
            if isinstance(error, Mapping):
                type_code = str(error.get("type", "?"))
                errors[type_code] += 1
                messages.setdefault(type_code, str(error.get("message", "")))
        for warning in entry.get("warnings") or []:
            if isinstance(warning, Mapping):
                rule = str(warning.get("rule", "?"))
                (accepted if warning.get("accepted") is True else warnings)[rule] += 1
                rules.setdefault(rule, warning)
        fault = entry.get("fault")
        if isinstance(fault, Mapping):
            faults[str(fault.get("kind", "?"))] += 1
    return Report(
        calls=calls,
        commands=_by_count(commands),
        statuses=_by_count(statuses),
        errors=[ErrorCount(t, messages[t], n) for t, n in _by_count(errors).items()],
        warnings=_warning_counts(warnings, rules),
        faults=_by_count(faults),
        accepted=_warning_counts(accepted, rules),
    )


def fetch_journal(
    base_url: str,
    *,
    api_key: str | None = None,
    admin_token: str | None = None,
    timeout: float = 10.0,
) -> list[dict[str, Any]]:
    """The journal of the mock at ``base_url``; :class:`ReportError` if it cannot be read."""
    import httpx  # the report is a command; importing kartra_mock stays light

    from kartra_mock.client.control import ControlPlane, ControlPlaneError

    url = base_url.rstrip("/") + "/_mock/requests"
    control = ControlPlane.connect(base_url, admin_token=admin_token, timeout=timeout)
    try:
        entries = control.journal(api_key)
    except httpx.HTTPError as exc:
        raise ReportError(f"cannot reach {url}: {exc}; is kartra-mock serving there?") from exc
    except ControlPlaneError as exc:
        if exc.status_code == 401:
            raise ReportError(
                f"{url} wants the admin token: pass --admin-token or set KARTRA_MOCK_ADMIN_TOKEN"
            ) from exc
        raise ReportError(f"{url} answered HTTP {exc.status_code}: {exc.text[:200]}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ReportError(f"{url} did not answer a kartra-mock journal: {exc!r}") from exc
    finally:
        control.close()
    if not isinstance(entries, list):
        raise ReportError(f"{url} did not answer a kartra-mock journal")
    return [entry for entry in entries if isinstance(entry, dict)]
