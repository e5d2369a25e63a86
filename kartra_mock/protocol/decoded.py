"""What request decoding produces: PHP values, the decoded parameters and their warnings.

Shared by the form, multipart and JSON decoders (:mod:`kartra_mock.protocol.forms`,
:mod:`kartra_mock.protocol.json_body`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from kartra_mock.protocol.rules import ContractWarning, Rule

__all__ = ["LONG_MAX", "LONG_MIN", "Decoded", "Log", "Params", "PhpValue", "show"]

PhpValue: TypeAlias = str | dict[str, "PhpValue"]
"""A PHP request value: a string, or an array as a dict with str keys in insertion order."""
Params: TypeAlias = dict[str, PhpValue]

#: PHP's integer range (64-bit ``zend_long``).
LONG_MAX = 2**63 - 1
LONG_MIN = -(2**63)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded request parameters and the contract warnings found while decoding them."""

    params: Params
    warnings: tuple[ContractWarning, ...]


class Log:
    """Collects warnings: one per rule, with the first detail and a count of the others."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, tuple[Rule, str, int]] = {}

    def add(self, rule: Rule, detail: str) -> None:
        seen = self._seen.get(rule.id)
        self._seen[rule.id] = (rule, detail, 1) if seen is None else (*seen[:2], seen[2] + 1)

    def warnings(self) -> tuple[ContractWarning, ...]:
        if not self._seen:  # the usual case, on the hot path of every call
            return ()
        return tuple(
            rule.warn(detail if count == 1 else f"{detail} (and {count - 1} more)")
            for rule, detail, count in self._seen.values()
        )


def show(text: str | bytes) -> str:
    shown = repr(text[:60])
    return shown + "…" if len(text) > 60 else shown
