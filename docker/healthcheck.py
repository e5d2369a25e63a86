"""The image's HEALTHCHECK: GET /_mock/health on the address the server really listens on.

The address is not read from a fixed port, an environment variable or the command line: the
kernel is asked. The server process is found in /proc (its command line runs ``kartra-mock ...
serve`` or ``python -m kartra_mock serve``), its listening TCP sockets are matched through its
open file descriptors against /proc/<pid>/net/tcp and tcp6, and the health route is probed there.
So ``docker run IMAGE serve --port 9000``, ``--port=9000``, an abbreviated ``--po 9000``, and
``--port 0`` (a port the OS picks) are all followed, with no second parser to drift from the CLI.
A wildcard address (0.0.0.0, ::) is probed on loopback.

Usage: ``python healthcheck.py [PID]`` (no PID: the first kartra-mock server in /proc).
Exit status 0 when the server answers 200, 1 otherwise, with one line saying why.
Standard library only: it runs every few seconds inside the container.
"""

from __future__ import annotations

import ipaddress
import sys
import urllib.request
from pathlib import Path

PROC = Path("/proc")
_LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp's "st" column


def is_server(argv: list[str]) -> bool:
    """Whether a command line is ``kartra-mock [...] serve ...`` (script, module or wrapper)."""
    if "serve" not in argv:
        return False
    before = argv[: argv.index("serve")]
    return any(Path(arg).name == "kartra-mock" or arg == "kartra_mock" for arg in before)


def find_server(proc: Path = PROC) -> int | None:
    """The lowest PID whose command line is a kartra-mock server, if any."""
    pids = sorted(int(entry.name) for entry in proc.iterdir() if entry.name.isdigit())
    for pid in pids:
        try:
            raw = (proc / str(pid) / "cmdline").read_bytes()
        except OSError:  # gone, or not ours to read
            continue
        argv = [arg.decode("utf-8", "surrogateescape") for arg in raw.split(b"\0") if arg]
        if is_server(argv):
            return pid
    return None


def _socket_inodes(pid: int, proc: Path) -> set[str]:
    inodes = set()
    for fd in (proc / str(pid) / "fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _address(hex_address: str) -> str:
    """/proc/net/tcp's ``0100007F`` (IPv4) or 32 hex digits (IPv6), host byte order per word."""
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(words))


def listening(pid: int, proc: Path = PROC) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket that process ``pid`` listens on."""
    inodes = _socket_inodes(pid, proc)
    found = []
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / str(pid) / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == _LISTEN and inode in inodes:
                hex_address, hex_port = local.split(":")
                found.append((_address(hex_address), int(hex_port, 16)))
    return found


def health_url(address: str, port: int) -> str:
    """The health route on ``address``; a wildcard address is probed on loopback."""
    ip = ipaddress.ip_address(address)
    if ip.is_unspecified:
        ip = ipaddress.ip_address("::1" if ip.version == 6 else "127.0.0.1")
    host = f"[{ip}]" if ip.version == 6 else str(ip)
    return f"http://{host}:{port}/_mock/health"


def check(pid: int | None, proc: Path = PROC) -> str | None:
    """None when the server is healthy, else the reason it is not."""
    if pid is None:
        pid = find_server(proc)
        if pid is None:
            return "no kartra-mock server process found"
    try:
        sockets = listening(pid, proc)
    except OSError as exc:
        return f"cannot read process {pid}'s sockets: {exc}"
    if not sockets:
        return f"process {pid} listens on no TCP port (yet)"
    address, port = sockets[0]
    url = health_url(address, port)
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return None
            return f"{url} answered HTTP {response.status}"
    except OSError as exc:  # URLError, HTTPError, timeouts and refused connections
        return f"{url}: {exc}"


def main(argv: list[str]) -> int:
    """Exit status for docker: 0 healthy, 1 not (the reason goes to stdout, docker keeps it)."""
    reason = check(int(argv[0]) if argv else None)
    if reason is None:
        return 0
    print(f"unhealthy: {reason}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
