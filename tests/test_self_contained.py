"""The repository is self-contained: it cites only its own documents, and those citations resolve.

Every fact the project relies on lives in ``docs/`` (docs/behaviour.md above all); code,
comments, contract warnings, tests and docs cite a repository path and anchor a reader can
open, never a document outside the repository. This test reads every tracked text file.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess  # git ls-files names the tracked files

ROOT = Path(__file__).resolve().parent.parent
THIS = Path(__file__).resolve().relative_to(ROOT).as_posix()

#: How citations of documents outside the repository looked; none may come back. The patterns
#: are written so that this file does not match them itself.
OUTSIDE = re.compile(
    "|".join(
        (
            r"\bS" + r"PEC\b",  # the product brief, by name
            r"HOUSE" + r"-STYLE",
            "\u00a7",  # a section sign: "\u00a7 3.3" of some document
            r"\bresearch (?:notes|" + r"\u00a7)",
            r"kartra-api-" + r"research",
            r"kartra-leads-" + r"api\.txt",
            r"(?<![\w./-])shared/",
            r"\bseed/",
            r"wire-" + r"captures/",
            r"/work/",
        )
    )
)

#: A citation of a repository document in any file: ``docs/behaviour.md#create_lead``.
CITATION = re.compile(
    r"(?<![\w/.-])((?:docs/[\w.-]+\.md|CONTRIBUTING\.md|CHANGELOG\.md|README\.md)(?:#[\w-]+)?)"
)
#: A relative link in a Markdown file: ``[text](operations.md#limits)`` or ``[text](#wire)``.
MARKDOWN_LINK = re.compile(r"\]\((?!https?:|mailto:)([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
BINARY_SUFFIXES = {".png", ".jpg", ".gif", ".ico", ".gz", ".whl", ".zip"}


def tracked_files() -> list[str]:
    """The repository's tracked files (the checkout's own list, not whatever lies around)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files are unknown")
    return [
        name
        for name in listed.decode().split("\0")
        if name and Path(name).suffix not in BINARY_SUFFIXES and (ROOT / name).is_file()
    ]


def read(name: str) -> str | None:
    try:
        return (ROOT / name).read_text("utf-8")
    except UnicodeDecodeError:
        return None


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    kept = "".join(
        char for char in text if char in " -_" or unicodedata.category(char)[0] in ("L", "N")
    )
    return kept.replace(" ", "-")


@cache
def anchors(name: str) -> frozenset[str]:
    """Every anchor a Markdown file offers: its headings' slugs (numbered when repeated)."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    in_fence = False
    for line in (ROOT / name).read_text("utf-8").splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
        found.update(re.findall(r'<a\s+(?:id|name)="([^"]+)"', line))
    return frozenset(found)


def broken(target: str) -> str | None:
    """Why ``target`` (``path`` or ``path#anchor``, from the repository root) does not open."""
    path, _, anchor = target.partition("#")
    if not (ROOT / path).is_file():
        return f"{path} does not exist"
    if anchor and path.endswith(".md") and anchor not in anchors(path):
        return f"{path} has no heading with the anchor #{anchor}"
    return None


def test_no_file_cites_a_document_outside_the_repository() -> None:
    offences = [
        f"{name}:{number}: {line.strip()[:120]}"
        for name in tracked_files()
        if name != THIS and (text := read(name)) is not None
        for number, line in enumerate(text.splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not offences, "cite docs/ (e.g. docs/behaviour.md#create_lead) instead:\n" + "\n".join(
        offences
    )


def test_every_cited_repository_document_and_anchor_exists() -> None:
    problems: list[str] = []
    for name in tracked_files():
        text = read(name)
        if text is None or name == THIS:
            continue
        targets = set(CITATION.findall(text))
        if name.endswith(".md"):
            for link in MARKDOWN_LINK.findall(text):
                path, _, anchor = link.partition("#")
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
                targets.add((resolved if path else name) + (f"#{anchor}" if anchor else ""))
        problems.extend(
            f"{name}: {target}: {reason}"
            for target in sorted(targets)
            if (reason := broken(target))
        )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("create_lead", "create_lead"),
        ("Lead command first", "lead-command-first"),
        ("IPN (documented names)", "ipn-documented-names"),
        (
            "`action` values (documented) and their `action_details`",
            "action-values-documented-and-their-action_details",
        ),
    ],
)
def test_anchors_are_the_ones_github_renders(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor
