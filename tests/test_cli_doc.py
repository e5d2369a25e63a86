"""The command line as documented (docs/operations.md#command-line) is the one ``--help`` shows.

Every command has a section, and each section's option table lists exactly that command's
options, with the metavar ``--help`` prints.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from kartra_mock.cli import build_parser

DOC = Path(__file__).resolve().parent.parent / "docs" / "operations.md"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """The parser's commands, by name (``serve``, ``report``, …)."""
    actions = [
        action
        for action in build_parser()._actions  # argparse keeps its subparsers here only
        if isinstance(action, argparse._SubParsersAction)
    ]
    assert len(actions) == 1
    return dict(actions[0].choices)


def help_options(parser: argparse.ArgumentParser) -> set[str]:
    """Each option as ``--help`` names it: ``--port PORT``, ``--strict-auth``, ``EVENT``."""
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:
            found.add(str(action.metavar or action.dest.upper()))
            continue
        name = max(action.option_strings, key=len)
        if action.nargs == 0:
            found.add(name)
        elif action.choices is not None and action.metavar is None:
            found.add(f"{name} {{{','.join(str(choice) for choice in action.choices)}}}")
        else:
            found.add(f"{name} {action.metavar or action.dest.upper()!s}")
    return found


def documented() -> dict[str, set[str]]:
    """Per ``### kartra-mock COMMAND`` section of the page: the first column of its table."""
    text = DOC.read_text("utf-8")
    section = text.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    found: dict[str, set[str]] = {}
    for part in section.split("\n### kartra-mock ")[1:]:
        name, _, body = part.partition("\n")
        found[name.strip()] = {
            match.group(1) for match in re.finditer(r"^\| `([^`]+)` \|", body, re.MULTILINE)
        }
    return found


def test_every_command_has_a_section() -> None:
    assert sorted(documented()) == sorted(subcommands())


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_the_section_lists_the_options_help_shows(command: str) -> None:
    parser = subcommands()[command]
    documented_options = documented().get(command, set())
    # The log level's choices are many: the table names them in its third column.
    shown = {re.sub(r"^(--log-level) \{.*\}$", r"\1 LEVEL", name) for name in help_options(parser)}
    assert documented_options == shown
