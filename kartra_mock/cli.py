# Over 400 lines: argv and environment of every subcommand (serve moves to the server package).
"""The ``kartra-mock`` command: the only place that reads argv and the environment."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from kartra_mock import DEMO_API_KEY, DEMO_API_PASSWORD, DEMO_APP_ID, __version__
from kartra_mock.cli_outbound import (
    add_serve_options,
    add_trigger,
    outbound_from_args,
    trigger_command,
)

if TYPE_CHECKING:  # the server's imports stay lazy: `report` and `verify` do not need them
    from kartra_mock.engine.backend import Backend

__all__ = ["build_parser", "main"]

_LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
_TOKEN_ENV = "KARTRA_MOCK_ADMIN_TOKEN"


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
        default=8765,
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


def _port(text: str) -> int:
    try:
        port = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535)")
    return port


def _rule_id(text: str) -> str:
    from kartra_mock.protocol.rules import UnknownRuleError, check_rule_ids

    try:
        check_rule_ids([text])
    except UnknownRuleError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _whole(minimum: int, requirement: str) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of at least ``minimum`` (else ``requirement``)."""

    def parse(text: str) -> int:
        try:
            number = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(requirement)
        return number

    return parse


def _above_zero(noun: str, requirement: str) -> Callable[[str], float]:
    """An argparse ``type``: a finite number above 0 (``requirement`` may name ``{text}``)."""

    def parse(text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {noun}: {text!r}") from None
        if not math.isfinite(number) or number <= 0:
            raise argparse.ArgumentTypeError(requirement.format(text=repr(text)))
        return number

    return parse


_rate_limit = _whole(0, "must be 0 (off) or more")
_journal_mib = _whole(1, "must be 1 or more")
_rate = _above_zero("a number", "must be a number above 0, not {text}")
_seconds = _above_zero("a number of seconds", "must be more than 0")


def _http_url(text: str) -> str:
    scheme, _, rest = text.partition("://")
    if scheme.lower() not in ("http", "https") or not rest.strip("/"):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}")
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
        f"or 'X-Admin-Token: TOKEN'; default: ${_TOKEN_ENV}, else none",
    )


def _add_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="summarise a running mock's request journal",
        description="Calls per command, errors per Kartra type, injected faults and contract "
        "warnings with their sources, read from GET /_mock/requests.",
    )
    report.add_argument(
        "--base-url",
        type=_http_url,
        default="http://127.0.0.1:8765",
        help="the mock to read (default: %(default)s)",
    )
    report.add_argument("--api-key", metavar="KEY", help="only this account's calls")
    report.add_argument(
        "--admin-token", metavar="TOKEN", help=f"the server's admin token; default: ${_TOKEN_ENV}"
    )
    report.add_argument("--json", action="store_true", help="print the summary as JSON")
    report.add_argument(
        "--fail-on-warnings",
        action="store_true",
        help="exit with status 1 if any call broke a contract rule (for CI)",
    )


def _add_verify(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = commands.add_parser(
        "verify",
        help="run the contract suite against a Kartra server (the mock, or the real one)",
        description="Check a server against Kartra's documented behaviour and print a "
        "conformance report: each rule, pass/fail, and a minimal failing example. Exit status "
        "1 if a rule failed. Against the real Kartra (--real-kartra, test-mode credentials) "
        "the suite only creates and touches leads at @kartra-mock-verify.example, and stays "
        "below 20 calls per second; the leads it creates stay in the account.",
    )
    verify.add_argument(
        "--base-url",
        type=_http_url,
        default="http://127.0.0.1:8765",
        help="the server's root or its /api endpoint (default: %(default)s)",
    )
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

    from contracts import verify_server
    from contracts.http import SchemaError

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


def _admin_token(args: argparse.Namespace) -> str | None:
    return args.admin_token or os.environ.get(_TOKEN_ENV) or None


def _report(args: argparse.Namespace) -> int:
    from kartra_mock.testing.report import ReportError, fetch_journal, summarize

    try:
        entries = fetch_journal(args.base_url, api_key=args.api_key, admin_token=_admin_token(args))
    except ReportError as exc:
        print(f"kartra-mock: {exc}", file=sys.stderr)
        return 2
    report = summarize(entries)
    print(json.dumps(report.to_json(), indent=2) if args.json else report.render())
    return 1 if args.fail_on_warnings and report.warnings else 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kartra_mock.domain.model import AuthMode
    from kartra_mock.engine.backend import Backend, Overrides, StateError
    from kartra_mock.server.app import create_app
    from kartra_mock.server.listen import (
        ListenError,
        NoSuchHost,
        StartedServer,
        base_url,
        bound_port,
        listen,
    )

    if args.save_on_exit and args.state is None:
        print("kartra-mock: --save-on-exit needs --state FILE to write to", file=sys.stderr)
        return 2
    # With --save-on-exit the file may not exist yet: the first run starts the built-in world.
    fresh = args.save_on_exit and not args.state.exists()
    document = None
    if args.state is not None and not fresh:
        try:
            document = json.loads(args.state.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"kartra-mock: cannot read state file {args.state}: {exc}", file=sys.stderr)
            return 2
        if not isinstance(document, dict):
            print(
                f"kartra-mock: invalid state file {args.state}: "
                "the state document must be a JSON object",
                file=sys.stderr,
            )
            return 2
    overrides = Overrides(
        auth=AuthMode.STRICT if args.strict_auth else None,
        rate_limit=args.rate_limit,
        require_https=args.require_https,
        accept_rules=frozenset(args.accept_rule),
        content_type=None
        if args.content_type is None
        else ("application/json" if args.content_type == "json" else "text/html"),
    )
    try:
        backend = Backend(document, overrides=overrides, journal_bytes=args.journal_mib << 20)
    except StateError as exc:
        print(f"kartra-mock: invalid state file {args.state}: {exc}", file=sys.stderr)
        return 2
    if args.webhook or args.ipn:
        backend.set_outbound(outbound_from_args(backend.outbound, args))
    from kartra_mock.server.logs import JsonFormatter, TextFormatter

    stream = logging.StreamHandler()
    # Both formats escape control characters, so a client cannot forge a line.
    stream.setFormatter(
        JsonFormatter()
        if args.log_format == "json"
        else TextFormatter("%(levelname)s %(name)s: %(message)s")
    )
    logging.basicConfig(level=args.log_level.upper(), handlers=[stream])
    admin_token = _admin_token(args)
    app = create_app(
        backend=backend,
        state_file=args.state,
        admin_token=admin_token,
        body_timeout=args.body_timeout,
    )
    try:
        sock = listen(args.host, args.port)
    except ListenError as exc:
        print(f"kartra-mock: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, NoSuchHost) else 1
    url = base_url(args.host, bound_port(sock))

    def announce() -> None:
        # Only once the socket accepts connections, with the port the OS really gave.
        print(
            f"kartra-mock {__version__} serving {url}/api "
            f"(web inspector and control plane: {url}/_mock/)",
            flush=True,
        )
        print(_credentials_line(backend.state()), flush=True)
        settings = backend.settings
        print(
            f"auth={backend.auth_mode} rate_limit={settings.rate_limit}/s "
            f"require_https={settings.require_https} content_type={settings.content_type}",
            flush=True,
        )
        if settings.accept_rules:
            print(f"accepted rules: {', '.join(sorted(settings.accept_rules))}", flush=True)
        if fresh:
            print(f"state file {args.state} does not exist yet: it is written on exit", flush=True)
        if admin_token:
            print(
                "admin token required on /_mock/ (except /_mock/health and /_mock/openapi.json)",
                flush=True,
            )

    from kartra_mock.server.header_timeout import header_timeout_protocol

    config = uvicorn.Config(
        app,
        http=header_timeout_protocol(args.body_timeout),
        log_level=args.log_level,
        access_log=False,
        server_header=False,
        # JSON logs: uvicorn's own records go through the root handler too.
        log_config=None if args.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
    )
    server = StartedServer(config, announce)
    # uvicorn handles SIGINT and SIGTERM with a clean shutdown, then raises the signal again
    # for the handler it found installed; a no-op one lets the process exit with status 0.
    previous = {}
    if threading.current_thread() is threading.main_thread():  # signal.signal's own rule
        previous = {sig: signal.signal(sig, _stopped) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if args.save_on_exit:
        return _save_on_exit(backend, args.state)
    return 0


def _save_on_exit(backend: Backend, path: Path) -> int:
    """Write the world to ``path`` (atomically: a failed save leaves the old file whole)."""
    from kartra_mock.engine.persistence import save_state

    try:
        size = save_state(path, backend.state())
    except Exception as exc:
        print(
            f"kartra-mock: could NOT save the state to {path} ({type(exc).__name__}: {exc}); "
            "the file was left as it was before this run",
            file=sys.stderr,
            flush=True,
        )
        return 1
    print(f"saved the state to {path} ({size} bytes)", flush=True)
    return 0


def _credentials_line(document: dict[str, object]) -> str:
    """The demo credentials, only if the world really has them; else how to get in."""
    accounts = document.get("accounts")
    apps = document.get("apps")
    open_mode = document.get("auth", "open") == "open"
    has_account = isinstance(accounts, list) and any(
        isinstance(account, dict)
        and account.get("api_key") == DEMO_API_KEY
        and account.get("api_password") == DEMO_API_PASSWORD
        and account.get("active", True)
        for account in accounts
    )
    demo_apps = (
        [app for app in apps if isinstance(app, dict) and app.get("app_id") == DEMO_APP_ID]
        if isinstance(apps, list)
        else []
    )
    has_app = (
        any(app.get("active", True) and app.get("owner_active", True) for app in demo_apps)
        if demo_apps
        else open_mode
    )
    if has_account and has_app:
        return (
            f"demo credentials: app_id={DEMO_APP_ID} api_key={DEMO_API_KEY} "
            f"api_password={DEMO_API_PASSWORD}"
        )
    if open_mode:
        return "no demo account: any app_id and a new api_key get a fresh account (open mode)"
    return "no demo account: use the apps and accounts of the state document (strict auth)"


def _stopped(signum: int, frame: FrameType | None) -> None:
    """The signal that stopped the server, raised again by uvicorn: already handled."""


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
