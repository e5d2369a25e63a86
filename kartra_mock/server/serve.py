"""The ``kartra-mock serve`` lifecycle: load the world, bind, announce, run, stop, save.

:mod:`kartra_mock.cli` turns argv and the environment into :class:`ServeOptions`; this module
does the rest. What it prints (the banner, the one-line errors) is the command's own output, so
it goes to stdout/stderr rather than through logging.

Example::

    from kartra_mock.server.serve import ServeOptions, serve
    raise SystemExit(serve(ServeOptions(port=0)))
"""

from __future__ import annotations

import json
import logging
import signal
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Literal

from kartra_mock import DEMO_API_KEY, DEMO_API_PASSWORD, DEMO_APP_ID, __version__
from kartra_mock.engine.backend import Overrides

if TYPE_CHECKING:  # uvicorn and the app load only when a server really starts
    from kartra_mock.engine.backend import Backend
    from kartra_mock.outbound.config import IpnTarget, WebhookTarget

__all__ = ["ServeOptions", "credentials_line", "save_on_exit", "serve"]


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """Everything ``kartra-mock serve`` was asked for, already parsed and checked."""

    host: str = "127.0.0.1"
    port: int = 8765
    #: The state document to start from and reset to (``None``: the built-in world).
    state: Path | None = None
    #: Write the world back to ``state`` on a clean stop.
    save_on_exit: bool = False
    overrides: Overrides = field(default_factory=Overrides)
    journal_bytes: int = 64 << 20
    body_timeout: float = 60.0
    admin_token: str | None = None
    #: Outbound URLs added to those of the state document.
    webhooks: tuple[WebhookTarget, ...] = ()
    ipn: tuple[IpnTarget, ...] = ()
    log_level: str = "info"
    log_format: Literal["text", "json"] = "text"


class _Refused(Exception):
    """The options cannot be served; the message is the one line to print."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def serve(options: ServeOptions) -> int:
    """Serve until Ctrl-C / SIGTERM; the command's exit status (2: bad input, 1: failure)."""
    try:
        return _serve(options)
    except _Refused as refused:
        print(f"kartra-mock: {refused}", file=sys.stderr)
        return refused.status


def _serve(options: ServeOptions) -> int:
    import uvicorn

    from kartra_mock.server.app import create_app
    from kartra_mock.server.header_timeout import header_timeout_protocol
    from kartra_mock.server.listen import ListenError, NoSuchHost, StartedServer, listen

    fresh, backend = _backend(options)
    _configure_logging(options)
    app = create_app(
        backend=backend,
        state_file=options.state,
        admin_token=options.admin_token,
        body_timeout=options.body_timeout,
    )
    try:
        sock = listen(options.host, options.port)
    except ListenError as exc:
        raise _Refused(str(exc), 2 if isinstance(exc, NoSuchHost) else 1) from exc
    config = uvicorn.Config(
        app,
        http=header_timeout_protocol(options.body_timeout),
        log_level=options.log_level,
        access_log=False,
        server_header=False,
        # JSON logs: uvicorn's own records go through the root handler too.
        log_config=None if options.log_format == "json" else uvicorn.config.LOGGING_CONFIG,
    )
    server = StartedServer(config, lambda: _announce(options, backend, sock, fresh=fresh))
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
    if options.save_on_exit and options.state is not None:
        return save_on_exit(backend, options.state)
    return 0


def _backend(options: ServeOptions) -> tuple[bool, Backend]:
    """The world to serve, and whether ``--save-on-exit`` starts it fresh (no file yet)."""
    from kartra_mock.engine.backend import Backend, StateError
    from kartra_mock.outbound.config import OutboundConfig

    if options.save_on_exit and options.state is None:
        raise _Refused("--save-on-exit needs --state FILE to write to")
    # With --save-on-exit the file may not exist yet: the first run starts the built-in world.
    fresh = options.save_on_exit and options.state is not None and not options.state.exists()
    document = None
    if options.state is not None and not fresh:
        try:
            document = json.loads(options.state.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise _Refused(f"cannot read state file {options.state}: {exc}") from exc
        if not isinstance(document, dict):
            raise _Refused(
                f"invalid state file {options.state}: the state document must be a JSON object"
            )
    try:
        backend = Backend(
            document, overrides=options.overrides, journal_bytes=options.journal_bytes
        )
    except StateError as exc:
        raise _Refused(f"invalid state file {options.state}: {exc}") from exc
    if options.webhooks or options.ipn:
        base = backend.outbound
        backend.set_outbound(
            OutboundConfig(
                (*base.webhooks, *options.webhooks), (*base.ipn, *options.ipn), base.delivery
            )
        )
    return fresh, backend


def _configure_logging(options: ServeOptions) -> None:
    from kartra_mock.server.logs import JsonFormatter, TextFormatter

    stream = logging.StreamHandler()
    # Both formats escape control characters, so a client cannot forge a line.
    stream.setFormatter(
        JsonFormatter()
        if options.log_format == "json"
        else TextFormatter("%(levelname)s %(name)s: %(message)s")
    )
    logging.basicConfig(level=options.log_level.upper(), handlers=[stream])


def _announce(options: ServeOptions, backend: Backend, sock: socket.socket, *, fresh: bool) -> None:
    """The banner: only once the socket accepts connections, with the port really given."""
    from kartra_mock.server.listen import base_url, bound_port

    url = base_url(options.host, bound_port(sock))
    lines = [
        f"kartra-mock {__version__} serving {url}/api "
        f"(web inspector and control plane: {url}/_mock/)",
        credentials_line(backend.state()),
    ]
    settings = backend.settings
    lines.append(
        f"auth={backend.auth_mode} rate_limit={settings.rate_limit}/s "
        f"require_https={settings.require_https} content_type={settings.content_type}"
    )
    if settings.accept_rules:
        lines.append(f"accepted rules: {', '.join(sorted(settings.accept_rules))}")
    if fresh:
        lines.append(f"state file {options.state} does not exist yet: it is written on exit")
    if options.admin_token:
        lines.append(
            "admin token required on /_mock/ (except /_mock/health and /_mock/openapi.json)"
        )
    for line in lines:
        print(line, flush=True)


def save_on_exit(backend: Backend, path: Path) -> int:
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


def credentials_line(document: dict[str, object]) -> str:
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
