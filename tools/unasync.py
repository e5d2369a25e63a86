"""Generate the sync client from the async one: ``python -m tools.unasync [--check]``.

The async client (``kartra_mock/client/asynchronous.py``) is the one source; the sync client
(``kartra_mock/client/sync.py``) is this script's output, never edited by hand. Generating is
text substitution, as httpcore does it: ``async``/``await`` are dropped and every async name
becomes its sync twin (:data:`SUBSTITUTIONS`); ruff then formats the result, so lines that
became short are joined the way ruff would write them. ``--check`` writes nothing and exits 1
when a generated file is not current; the test suite runs the same check.

Example::

    python -m tools.unasync          # rewrite kartra_mock/client/sync.py
    python -m tools.unasync --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["FILES", "SUBSTITUTIONS", "generate", "main", "stale", "unasync"]

ROOT = Path(__file__).resolve().parent.parent

#: Each async source and the sync module generated from it, relative to the repository.
FILES = {"kartra_mock/client/asynchronous.py": "kartra_mock/client/sync.py"}

#: Applied in order to the whole source (``^`` matches at every line start).
SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r"\bAsyncKartraClient\b", "KartraClient"),
    (r"\bAsyncChain\b", "Chain"),
    (r"\bhttpx\.AsyncClient\b", "httpx.Client"),
    (r"\bhttpx\.AsyncBaseTransport\b", "httpx.BaseTransport"),
    (r"\basync (def|with|for)\b", r"\1"),
    (r"\bawait ", ""),
    (r"\baclose\b", "close"),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\basyncio\.sleep\b", "time.sleep"),
    (r"\bAwaitable\[None\]", "None"),
    (r"\bAwaitable, ", ""),
    (r"^import asyncio\n", ""),
)

_HEADER = (
    "# Over 400 lines: generated from {source} by `python -m tools.unasync`: edit that, not this.\n"
)
_LEADING_COMMENTS = re.compile(r"\A(?:#[^\n]*\n)*")


def unasync(source: str, source_name: str) -> str:
    """``source`` with every substitution made and its leading comments replaced by a header."""
    text = _LEADING_COMMENTS.sub("", source, count=1)
    for pattern, replacement in SUBSTITUTIONS:
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    return _HEADER.format(source=source_name) + text


def _ruff_format(text: str, target: str) -> str:
    """``text`` formatted by ruff with the repository's settings (as ``ruff format`` would)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--stdin-filename",
            target,
            "-",
        ],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ruff could not format the generated {target}: {done.stderr.strip()}")
    return done.stdout


def generate(source_name: str, target_name: str, root: Path = ROOT) -> str:
    """The text the generated file ``target_name`` must have, from ``source_name``."""
    source = (root / source_name).read_text(encoding="utf-8")
    return _ruff_format(unasync(source, Path(source_name).name), target_name)


def stale(root: Path = ROOT) -> list[str]:
    """The generated files (of :data:`FILES`) whose text is not what their source gives."""
    found: list[str] = []
    for source_name, target_name in FILES.items():
        target = root / target_name
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != generate(source_name, target_name, root):
            found.append(target_name)
    return found


def main(argv: Sequence[str] | None = None, root: Path = ROOT) -> int:
    """Write the generated files, or with ``--check`` report the stale ones; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.unasync", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is out of date"
    )
    args = parser.parse_args(argv)
    status = 0
    for source_name, target_name in FILES.items():
        target = root / target_name
        wanted = generate(source_name, target_name, root)
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current == wanted:
            continue
        if args.check:
            diff = difflib.unified_diff(
                current.splitlines(keepends=True),
                wanted.splitlines(keepends=True),
                f"{target_name} (current)",
                f"{target_name} (generated from {source_name})",
            )
            sys.stderr.writelines(diff)
            sys.stderr.write(
                f"{target_name} is out of date: run `python -m tools.unasync` "
                f"(edit {source_name}, never {target_name})\n"
            )
            status = 1
        else:
            target.write_text(wanted, encoding="utf-8")
            print(f"wrote {target_name} from {source_name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
