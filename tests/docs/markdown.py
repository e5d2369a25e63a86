"""The fenced code blocks of the repository's Markdown, with the directive written before each.

A directive is an HTML comment on the last non-blank line before the opening fence:
``<!-- not-run: reason -->`` (the block is deliberately not run; the reason must say why) or
``<!-- file: path/in/the/repository -->`` (the block shows that file and must equal it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*(?P<kind>not-run|file)\s*:(?P<value>.*?)-->\s*$")
_ANY_DIRECTIVE = re.compile(r"^\s*<!--\s*(?:not[- ]?run|file|skip)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Block:
    """One fenced code block: where it is, its language, its text and its directive."""

    path: Path
    line: int  # of the opening fence, 1-based
    language: str
    text: str
    not_run: str | None = None  # the reason, "" when the comment gives none
    file: str | None = None  # the repository file the block must equal
    malformed_directive: str | None = None  # a comment that looks like a directive but is not

    @property
    def where(self) -> str:
        """``README.md:23``: the file (relative to the repository) and the fence's line."""
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"


def documents(root: Path = ROOT) -> list[Path]:
    """README.md, CONTRIBUTING.md and every Markdown page under docs/, in a stable order."""
    top = [root / name for name in ("README.md", "CONTRIBUTING.md") if (root / name).is_file()]
    return top + sorted((root / "docs").rglob("*.md"))


def blocks(path: Path) -> Iterator[Block]:
    """Every fenced block of ``path``; an unclosed fence runs to the end, as in CommonMark."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        start = index
        body: list[str] = []
        index += 1
        while index < len(lines):
            line = lines[index]
            stripped = line.lstrip(" \t")
            if stripped.startswith(fence) and set(stripped.rstrip()) == {fence[0]}:
                break
            # Content inside a list item is indented like its fence; take that indent off.
            body.append(line[indent:] if line[:indent].strip() == "" else line)
            index += 1
        index += 1
        yield _block(path, lines, start, opening["info"].strip(), body)


def _block(path: Path, lines: list[str], start: int, info: str, body: list[str]) -> Block:
    language = info.split()[0].lower() if info else ""
    text = "\n".join(body) + "\n" if body else ""
    before = start - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    comment = lines[before] if before >= 0 else ""
    found = _DIRECTIVE.match(comment)
    if found is None:
        malformed = comment.strip() if _ANY_DIRECTIVE.match(comment) else None
        return Block(path, start + 1, language, text, malformed_directive=malformed)
    value = found["value"].strip()
    if found["kind"] == "not-run":
        return Block(path, start + 1, language, text, not_run=value)
    return Block(path, start + 1, language, text, file=value)


def all_blocks(root: Path = ROOT) -> list[Block]:
    """Every fenced block of every document, in reading order."""
    return [block for path in documents(root) for block in blocks(path)]
