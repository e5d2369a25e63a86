"""The state file on disk, written so that a crash never leaves half a file.

A write goes to a temporary file in the same directory, is flushed and ``fsync``-ed, then
``os.replace``-d over the target (atomic on POSIX and Windows), and the directory is synced so
the rename itself survives a power cut. A reader therefore sees the old document or the new
one, never a mix, even if the writer is killed with SIGKILL mid-write. A killed writer may
leave its temporary file (``.NAME.*.tmp``) behind; it is never read.

The file holds the passwords of configured accounts (it is the state document,
docs/control-plane.md#the-state-document), so it is written readable by its owner only.

Example::

    save_state(Path("state.json"), backend.state())
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["encode_state", "save_state", "write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old or the new bytes."""
    directory = path.parent
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    # Makes the rename durable; directories cannot be opened this way on Windows.
    if os.name != "posix":  # pragma: no cover - POSIX in CI
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encode_state(document: Mapping[str, object]) -> bytes:
    """A state document as the file holds it: indented UTF-8 JSON, one key per line.

    Never fails on text: should a string hold a lone surrogate (which UTF-8 cannot carry),
    the whole document is written ASCII-escaped instead, which reads back identically.
    """
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    try:
        return text.encode()
    except UnicodeEncodeError:
        return (json.dumps(document, indent=1) + "\n").encode()


def save_state(path: Path, document: Mapping[str, object]) -> int:
    """Write a state document atomically; returns the number of bytes written."""
    data = encode_state(document)
    write_atomic(path, data)
    return len(data)
