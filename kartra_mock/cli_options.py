"""What the commands share: option types, and how a command names the running server it talks to.

Argv and the environment only, like :mod:`kartra_mock.cli`. ``report`` and ``trigger`` (and
``verify``'s ``--base-url``) name the server with the same validated ``--base-url`` and read the
admin token from ``--admin-token`` or ``$KARTRA_MOCK_ADMIN_TOKEN``; ``serve`` listens where they
look by default.
"""

from __future__ import annotations

import argparse
import os
from typing import TypeAlias

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_PORT",
    "TOKEN_ENV",
    "Commands",
    "add_admin_token",
    "add_base_url",
    "admin_token",
    "http_url",
]

#: The environment variable that holds the admin token, for the server and for its clients.
TOKEN_ENV = "KARTRA_MOCK_ADMIN_TOKEN"
#: Where ``serve`` listens, and where the other commands look, unless told otherwise.
DEFAULT_PORT = 8765
DEFAULT_BASE_URL = f"http://127.0.0.1:{DEFAULT_PORT}"

#: What ``add_subparsers`` returns, to which each command adds its parser (argparse's own name
#: for the type is private, and generic only to type checkers: it is spelt here only).
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def http_url(text: str) -> str:
    """An option's type: an ``http://`` or ``https://`` URL with something after the scheme."""
    scheme, _, rest = text.partition("://")
    if scheme.lower() not in ("http", "https") or not rest.strip("/"):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}")
    return text


def add_base_url(parser: argparse.ArgumentParser, what: str, metavar: str = "BASE_URL") -> None:
    """``--base-url``: the running server, validated; ``what`` says what it is to this command."""
    parser.add_argument(
        "--base-url",
        type=http_url,
        default=DEFAULT_BASE_URL,
        metavar=metavar,
        help=f"{what} (default: %(default)s)",
    )


def add_admin_token(parser: argparse.ArgumentParser) -> None:
    """``--admin-token``: the token the server wants on ``/_mock/*`` (default: the environment)."""
    parser.add_argument(
        "--admin-token", metavar="TOKEN", help=f"the server's admin token; default: ${TOKEN_ENV}"
    )


def admin_token(args: argparse.Namespace) -> str | None:
    """The admin token to send: ``--admin-token``, else ``$KARTRA_MOCK_ADMIN_TOKEN``, else none."""
    token: str | None = args.admin_token or os.environ.get(TOKEN_ENV) or None
    return token
