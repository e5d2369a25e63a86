"""The listening socket of ``kartra-mock serve``: bound before anything is announced.

Binding first lets the command report the port the OS really gave (``--port 0``), refuse a
port that is taken with one clear line, and never print a URL it is not serving.

Example::

    sock = listen("127.0.0.1", 0)
    print(base_url("127.0.0.1", bound_port(sock)))
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import uvicorn

__all__ = ["ListenError", "NoSuchHost", "StartedServer", "base_url", "bound_port", "listen"]


class ListenError(Exception):
    """The address cannot be listened on (taken, not ours, not permitted)."""


class NoSuchHost(ListenError):
    """The host is neither an address nor a name that resolves."""


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``, ready to hand to uvicorn."""
    try:
        infos = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise NoSuchHost(f"unknown host {host!r}: {_reason(exc)}") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        # As uvicorn does: a restarted server may reuse a port still in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ListenError(f"cannot listen on {_authority(host, port)}: {_reason(exc)}") from exc
    return sock


def bound_port(sock: socket.socket) -> int:
    """The port the socket is bound to (the one the OS chose for port 0)."""
    port: int = sock.getsockname()[1]
    return port


def base_url(host: str, port: int) -> str:
    """``http://host:port`` with an IPv6 address in brackets."""
    return f"http://{_authority(host, port)}"


def _authority(host: str, port: int) -> str:
    try:
        is_v6 = ipaddress.ip_address(host).version == 6
    except ValueError:
        is_v6 = False
    return f"[{host}]:{port}" if is_v6 else f"{host}:{port}"


def _reason(exc: BaseException) -> str:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return text or type(exc).__name__


class StartedServer(uvicorn.Server):
    """A uvicorn server that calls ``on_started`` once it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then announce (only if it really started)."""
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self._on_started()
