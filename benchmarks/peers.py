"""Peers measured side by side when they are installed: Prism and Mockoon, answering statically.

Install them (Node.js and npm needed; nothing of this is part of the product)::

    npm install --prefix benchmarks/peers

Each serves ``POST /api`` with the same fixed create_lead answer as the bare app, and
``GET /_mock/health`` for the start-up probe, from the files in ``benchmarks/peers/``. Where
they are not installed, the HTTP figures fall back to the issue's reference figures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = ["FOLDER", "Peer", "installed"]

FOLDER = Path(__file__).resolve().parent / "peers"
_BIN = FOLDER / "node_modules" / ".bin"

#: A peer's name and how to run it on a port.
Peer = tuple[str, Callable[[int], list[str]]]


def _prism(port: int) -> list[str]:
    return [
        str(_BIN / "prism"),
        "mock",
        str(FOLDER / "prism.json"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]


def _mockoon(port: int) -> list[str]:
    data = str(FOLDER / "mockoon.json")
    return [
        str(_BIN / "mockoon-cli"),
        "start",
        "--data",
        data,
        "--port",
        str(port),
        "--disable-log-to-file",
    ]


_PEERS: tuple[tuple[str, str, Callable[[int], list[str]]], ...] = (
    ("Prism", "prism", _prism),
    ("Mockoon", "mockoon-cli", _mockoon),
)


def installed() -> list[Peer]:
    """The peers installed under ``benchmarks/peers/node_modules``."""
    return [(name, argv) for name, program, argv in _PEERS if (_BIN / program).exists()]
