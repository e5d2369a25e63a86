"""The ``kartra-mock`` command: the only place that reads argv and the environment."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from kartra_mock import DEMO_API_KEY, DEMO_API_PASSWORD, DEMO_APP_ID, __version__
from kartra_mock.cli_options import (
    DEFAULT_PORT,
    TOKEN_ENV,
    Commands,
    add_admin_token,
    add_base_url,
    admin_token,
)
from kartra_mock.cli_outbound import (
    add_serve_options,
    add_trigger,
    trigger_command,
)

__all__ = ["build_parser", "main"]

_LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
_N = TypeVar("_N", int, float)


def build_parser() -> argparse.ArgumentParser:
    """The command line, with help text for every option."""
    parser = argparse.ArgumentParser(
        prog="kartra-mock",
        description="A faithful, stateful fake of Kartra's inbound API (POST /api).",
    )
    parser.add_argument("--version", action="version", version=f"kartra-mock {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="run the mock server",
        description="Serve a local Kartra at http://HOST:PORT/api with its control plane "
        "at /_mock/. Stop it with Ctrl-C.",
    )
    serve.add_argument(
        "--host",
        type=_host,
        default="127.0.0.1",
        help="address to listen on (default: %(default)s)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="port to listen on, 0-65535; 0 lets the OS pick a free one, and the banner "
        "shows it (default: %(default)s)",
    )
    serve.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="state document (JSON) to start from and to reset to; default: the built-in world",
    )
    serve.add_argument(
        "--strict-auth",
        action="store_true",
        default=None,
        help="only configured apps and accounts exist (default: open mode invents them)",
    )
    serve.add_argument(
        "--rate-limit",
        type=_rate_limit,
        metavar="N",
        help="calls per second per app_id before HTTP 429 (default 20, as Kartra; 0 turns it off)",
    )
    serve.add_argument(
        "--require-https",
        action="store_true",
        default=None,
        help="answer plain-HTTP calls with error 201, as Kartra does (default: off)",
    )
    serve.add_argument(
        "--content-type",
        choices=("html", "json"),
        help="response Content-Type: text/html as real Kartra (default) or application/json",
    )
    serve.add_argument(
        "--accept-rule",
        action="append",
        type=_rule_id,
        default=[],
        metavar="RULE",
        help="report this contract rule's warnings as accepted (repeatable; see docs/contracts.md)",
    )
    serve.add_argument(
        "--log-level",
        type=str.lower,
        choices=_LOG_LEVELS,
        default="info",
        help="(default: %(default)s)",
    )
    _add_operator_options(serve)
    add_serve_options(serve)
    _add_report(commands)
    _add_verify(commands)
    add_trigger(commands)
    return parser


def _checked(
    convert: Callable[[str], _N], noun: str, accept: Callable[[_N], bool], rule: str
) -> Callable[[str], _N]:
    """An option's type: ``convert`` the text, then keep the value only if ``accept`` says so."""

    def parse(text: str) -> _N:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {noun}: {text!r}") from None
        if not accept(value):
            raise argparse.ArgumentTypeError(f"{text} {rule}")
        return value

    return parse


def _decimal(text: str) -> int:
    return int(text, 10)


_port = _checked(_decimal, "a port number", lambda n: 0 <= n <= 65535, "is not a port (0-65535)")
_rate_limit = _checked(_decimal, "a whole number", lambda n: n >= 0, "must be 0 (off) or more")
_journal_mib = _checked(_decimal, "a whole number", lambda n: n >= 1, "must be 1 or more")
_rate = _checked(float, "a number", lambda r: math.isfinite(r) and r > 0, "must be above 0")
_seconds = _checked(float, "a number of seconds", lambda s: 0 < s < math.inf, "must be above 0")


def _rule_id(text: str) -> str:
    from kartra_mock.protocol.rules import UnknownRuleError, check_rule_ids

    try:
        check_rule_ids([text])
    except UnknownRuleError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _host(text: str) -> str:
    if not text.strip() or any(char.isspace() or ord(char) < 32 for char in text):
        raise argparse.ArgumentTypeError(f"not a host name or address: {text!r}")
    return text


def _token(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("an empty token would protect nothing")
    return text


def _add_operator_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="log lines (one per /api call) as text or as one JSON object each "
        "(default: %(default)s)",
    )
    serve.add_argument(
        "--save-on-exit",
        action="store_true",
        help="on a clean stop (Ctrl-C, SIGTERM) write the world back to --state FILE, "
        "atomically; a FILE that does not exist yet then starts the built-in world",
    )
    serve.add_argument(
        "--journal-mib",
        type=_journal_mib,
        default=64,
        metavar="N",
        help="the request journal keeps at most N MiB of calls, the oldest going first; "
        "long values are kept cut, with a marker (default: %(default)s)",
    )
    serve.add_argument(
        "--body-timeout",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="a request body that stalls this long between two reads gets 408 and the "
        "connection closes; a connection whose headers take this long is closed, as nginx's "
        "client_body_timeout and client_header_timeout (default: %(default)s)",
    )
    serve.add_argument(
        "--admin-token",
        type=_token,
        metavar="TOKEN",
        help=f"require this token on /_mock/* (never on /api) as 'Authorization: Bearer TOKEN' "
        f"or 'X-Admin-Token: TOKEN'; default: ${TOKEN_ENV}, else none",
    )


def _add_report(commands: Commands) -> None:
    report = commands.add_parser(
        "report",
        help="summarise a running mock's request journal",
        description="Calls per command, errors per Kartra type, injected faults and contract "
        "warnings with their sources, read from GET /_mock/requests.",
    )
    add_base_url(report, "the mock to read")
    report.add_argument("--api-key", metavar="KEY", help="only this account's calls")
    add_admin_token(report)
    report.add_argument("--json", action="store_true", help="print the summary as JSON")
    report.add_argument(
        "--fail-on-warnings",
        action="store_true",
        help="exit with status 1 if any call broke a contract rule (for CI)",
    )


def _add_verify(commands: Commands) -> None:
    verify = commands.add_parser(
        "verify",
        help="run the contract suite against a Kartra server (the mock, or the real one)",
        description="Check a server against Kartra's documented behaviour and print a "
        "conformance report: each rule, pass/fail, and a minimal failing example. Exit status "
        "1 if a rule failed. Against the real Kartra (--real-kartra, test-mode credentials) "
        "the suite only creates and touches leads at @kartra-mock-verify.example, and stays "
        "below 20 calls per second; the leads it creates stay in the account.",
    )
    add_base_url(verify, "the server's root or its /api endpoint")
    verify.add_argument("--app-id", help=f"(default: {DEMO_APP_ID}; required with --real-kartra)")
    verify.add_argument("--api-key", help=f"(default: {DEMO_API_KEY}; required with --real-kartra)")
    verify.add_argument(
        "--api-password", help="(default: the demo password; required with --real-kartra)"
    )
    verify.add_argument(
        "--profile",
        choices=("ci", "thorough"),
        default="ci",
        help="ci: seconds, fixed seed; thorough: minutes, many more examples "
        "(default: %(default)s)",
    )
    verify.add_argument(
        "--real-kartra",
        action="store_true",
        help="opt in to verifying the real Kartra (app.kartra.com)",
    )
    verify.add_argument(
        "--test-mode",
        action="store_true",
        help="the app is in Kartra's test mode: stored emails end in @kartra.com",
    )
    verify.add_argument(
        "--rule",
        action="append",
        metavar="RULE",
        help="run only this rule, or rules with this prefix (e.g. leads); repeatable",
    )
    verify.add_argument(
        "--max-rate", type=_rate, metavar="N", help="at most N calls per second (above 0)"
    )
    verify.add_argument(
        "--json", action="store_true", help="print the report as JSON (progress goes to stderr)"
    )


def _verify(args: argparse.Namespace) -> int:
    import httpx

    try:
        from contracts import verify_server
        from contracts.http import SchemaError
    except ModuleNotFoundError as exc:  # hypothesis left out, as in the server-only image
        print(f"kartra-mock: verify is not available here: {exc}", file=sys.stderr)
        return 2

    credentials = (args.app_id, args.api_key, args.api_password)
    if args.real_kartra and None in credentials:
        print(
            "kartra-mock: --real-kartra needs --app-id, --api-key and --api-password",
            file=sys.stderr,
        )
        return 2
    progress_stream = sys.stderr if args.json else sys.stdout
    try:
        report = verify_server(
            args.base_url,
            args.app_id or DEMO_APP_ID,
            args.api_key or DEMO_API_KEY,
            args.api_password or DEMO_API_PASSWORD,
            profile=args.profile,
            real_kartra=args.real_kartra,
            test_mode=args.test_mode,
            rules=args.rule,
            max_rate=args.max_rate,
            progress=lambda result: print(result.render(), file=progress_stream, flush=True),
            raise_on_failure=False,
        )
    except (ValueError, SchemaError, httpx.HTTPError) as exc:
        print(f"kartra-mock: cannot verify {args.base_url}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        summary = report.render().splitlines()
        print("\n".join(summary[-2:] if report.exercised else summary[-1:]))
    return 0 if report.ok else 1


def _report(args: argparse.Namespace) -> int:
    from kartra_mock.testing.report import ReportError, fetch_journal, summarize

    try:
        entries = fetch_journal(args.base_url, api_key=args.api_key, admin_token=admin_token(args))
    except ReportError as exc:
        print(f"kartra-mock: {exc}", file=sys.stderr)
        return 2
    report = summarize(entries)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.render())
    return 1 if args.fail_on_warnings and report.warnings else 0


def _serve(args: argparse.Namespace) -> int:
    from kartra_mock.domain.model import AuthMode
    from kartra_mock.engine.backend import Overrides
    from kartra_mock.server.serve import ServeOptions, serve

    overrides = Overrides(
        auth=AuthMode.STRICT if args.strict_auth else None,
        rate_limit=args.rate_limit,
        require_https=args.require_https,
        accept_rules=frozenset(args.accept_rule),
        content_type=None
        if args.content_type is None
        else ("application/json" if args.content_type == "json" else "text/html"),
    )
    return serve(
        ServeOptions(
            host=args.host,
            port=args.port,
            state=args.state,
            save_on_exit=args.save_on_exit,
            overrides=overrides,
            journal_bytes=args.journal_mib << 20,
            body_timeout=args.body_timeout,
            admin_token=admin_token(args),
            webhooks=tuple(args.webhook),
            ipn=tuple(args.ipn),
            log_level=args.log_level,
            log_format=args.log_format,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "report":
        return _report(args)
    if args.command == "verify":
        return _verify(args)
    if args.command == "trigger":
        return trigger_command(args)
    parser.print_help()
    return 2
