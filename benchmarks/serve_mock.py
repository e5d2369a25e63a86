"""The mock on a chosen uvicorn stack, for the pure-Python (h11 + asyncio) HTTP figures.

``kartra-mock serve`` always takes uvicorn's fast stack where it is installed; this runner
serves the same app, with the rate limit off and no per-call logs, on the stack given::

    python -m benchmarks.serve_mock --port 8765 --state seed.json --http h11 --loop asyncio
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server import gc_policy
from kartra_mock.server.app import create_app

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the mock until SIGTERM / Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve_mock")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state", type=Path)
    parser.add_argument("--http", choices=("h11", "httptools"), default="h11")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    args = parser.parse_args(argv)
    document = None if args.state is None else json.loads(args.state.read_text("utf-8"))
    logging.basicConfig(level=logging.WARNING)
    backend = Backend(document, overrides=Overrides(rate_limit=0))
    gc_policy.install()  # as kartra-mock serve does
    uvicorn.run(
        create_app(backend=backend),
        host="127.0.0.1",
        port=args.port,
        http=args.http,
        loop=args.loop,
        log_level="warning",
        access_log=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
