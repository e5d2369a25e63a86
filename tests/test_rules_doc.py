"""docs/contracts.md lists every contract rule, generated from the catalogue, so it cannot drift.

Regenerate the table after changing ``kartra_mock/protocol/rules.py``::

    python -m tests.test_rules_doc
"""

from __future__ import annotations

from kartra_mock.protocol.rules import RULES
from tests.generated import GeneratedPart

PART = GeneratedPart("docs/contracts.md", "rules", "tests.test_rules_doc")


def table() -> str:
    """The rules as a Markdown table, in catalogue order."""
    rows = ["| rule | departure | source | reference |", "|---|---|---|---|"]
    for rule in RULES:
        path, _, rest = rule.reference.partition(" ")
        link = path.removeprefix("docs/")
        reference = f"[{path}]({link}){' ' + rest if rest else ''}"
        summary = rule.summary.replace("|", "\\|")
        rows.append(f"| `{rule.id}` | {summary} | {rule.source.value} | {reference} |")
    return "\n".join(rows)


def test_every_rule_cites_a_page_of_the_repository() -> None:
    assert all(rule.reference.startswith("docs/behaviour.md#") for rule in RULES)


def test_docs_contracts_md_lists_every_contract_rule() -> None:
    PART.check(table())


if __name__ == "__main__":
    PART.write(table())
