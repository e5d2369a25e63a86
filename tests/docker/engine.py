"""A Docker engine for the container tests: found or started, a local base image, the build.

No image can be pulled from a public registry where CI runs, so the base is made here:
``debootstrap --variant=minbase bookworm`` from the Debian mirror apt is configured with (read
from apt's sources at run time), a venv that puts ``python``/``pip`` on PATH, and the host's CA
bundle (package downloads may pass through TLS that only the host's bundle trusts). It is
imported once and kept in the engine's own image store under a tag that names its recipe, so a
later run on the same machine (a fresh clone included) reuses it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEBIAN_SUITE = "bookworm"
# passwd: groupadd/useradd for the Dockerfile's user; python3-venv: python with pip.
BASE_PACKAGES = ("python3-venv", "passwd")
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
VENV = "/opt/venv"
_BASE_ENV = (
    f"PATH={VENV}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    f"SSL_CERT_FILE={HOST_CA_BUNDLE}",
    f"PIP_CERT={HOST_CA_BUNDLE}",
)
# Daemon flags for a machine where iptables and a bridge may not work: host networking only.
DAEMON_FLAGS = ("--iptables=false", "--ip6tables=false", "--bridge=none")


class EngineUnavailable(Exception):
    """No engine answers and none can be started here; the message says why."""


@dataclass(frozen=True)
class Engine:
    """The ``docker`` client and the environment it talks to the engine with."""

    client: str
    env: dict[str, str]

    def run(
        self, *args: str, check: bool = True, timeout: float = 240
    ) -> subprocess.CompletedProcess[str]:
        """``docker ARGS``; its failure carries what docker printed."""
        result = subprocess.run(
            [self.client, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"docker {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def answers(self) -> bool:
        """Whether an engine answers (``docker info``)."""
        return self.run("info", check=False, timeout=20).returncode == 0

    def has_image(self, tag: str) -> bool:
        """Whether ``tag`` is in the engine's image store."""
        return self.run("image", "inspect", tag, check=False).returncode == 0

    def image_size(self, tag: str) -> int:
        """The image's size in bytes, as ``docker images`` counts it (all layers)."""
        return int(self.run("image", "inspect", "--format", "{{.Size}}", tag).stdout)


@contextmanager
def engine(logs: Path) -> Iterator[Engine]:
    """An engine that answers: the running one, else a ``dockerd`` started here and stopped
    after (by its PID). Raises EngineUnavailable with the reason when neither can be had."""
    client = shutil.which("docker")
    if client is None:
        raise EngineUnavailable("no docker client on PATH (apt-get install docker.io)")
    # The classic builder: BuildKit would need the network.host entitlement for --network host.
    found = Engine(client, {**os.environ, "DOCKER_BUILDKIT": "0"})
    if found.answers():
        yield found
        return
    daemon = shutil.which("dockerd")
    if daemon is None:
        raise EngineUnavailable("no engine answers and dockerd is not installed (docker.io)")
    if os.geteuid() != 0:
        raise EngineUnavailable("no engine answers, and starting dockerd needs root")
    logs.parent.mkdir(parents=True, exist_ok=True)
    with logs.open("wb") as log:
        process = subprocess.Popen(
            [daemon, *DAEMON_FLAGS], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while not found.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                tail = logs.read_text(errors="replace")[-2000:]
                raise EngineUnavailable(f"dockerd did not start:\n{tail}")
            time.sleep(0.5)
        yield found
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def debian_mirror(apt: Path = Path("/etc/apt")) -> str:
    """The Debian mirror apt is configured with: the first ``deb`` source that carries the
    suite, from ``sources.list.d/*.sources`` (deb822) or ``sources.list``."""
    candidates: list[tuple[str, list[str]]] = []
    for path in sorted((apt / "sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text()):
            fields = dict(
                line.split(":", 1)
                for line in stanza.splitlines()
                if ":" in line and not line.startswith(("#", " "))
            )
            if fields.get("Types", "").split() and "deb" in fields["Types"].split():
                suites = fields.get("Suites", "").split()
                candidates += [(uri, suites) for uri in fields.get("URIs", "").split()]
    listing = apt / "sources.list"
    if listing.exists():
        for line in listing.read_text().splitlines():
            match = re.match(r"deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", line.strip())
            if match:
                candidates.append((match[1], [match[2]]))
    for uri, suites in candidates:
        if DEBIAN_SUITE in suites and "security" not in uri:
            return uri
    raise EngineUnavailable(f"apt has no Debian {DEBIAN_SUITE} source to debootstrap from")


def base_tag() -> str:
    """The base image's tag: it names the recipe, so a changed recipe makes a new image."""
    recipe = "\n".join([DEBIAN_SUITE, *BASE_PACKAGES, VENV, *_BASE_ENV])
    recipe += hashlib.sha256(HOST_CA_BUNDLE.read_bytes()).hexdigest()
    return f"kartra-mock-base:{DEBIAN_SUITE}-{hashlib.sha256(recipe.encode()).hexdigest()[:12]}"


def make_base(docker: Engine, workdir: Path) -> str:
    """The local base image (python and pip on PATH, the host's CA bundle): reused if the
    engine has it, else debootstrapped and imported."""
    tag = base_tag()
    if docker.has_image(tag):
        return tag
    if shutil.which("debootstrap") is None:
        raise EngineUnavailable("debootstrap is not installed (apt-get install debootstrap)")
    root = workdir / "rootfs"
    subprocess.run(
        [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(BASE_PACKAGES)}",
            DEBIAN_SUITE,
            str(root),
            debian_mirror(),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.copyfile(HOST_CA_BUNDLE, root / HOST_CA_BUNDLE.relative_to("/"))
    subprocess.run(
        ["chroot", str(root), "python3", "-m", "venv", VENV], check=True, capture_output=True
    )
    shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
    (root / "var/cache/apt/archives/partial").mkdir(parents=True)
    archive = workdir / "rootfs.tar"
    subprocess.run(
        ["tar", "--numeric-owner", "-C", str(root), "-cf", str(archive), "."],
        check=True,
        capture_output=True,
    )
    changes = [arg for env in _BASE_ENV for arg in ("--change", f"ENV {env}")]
    docker.run("import", *changes, str(archive), tag, timeout=300)
    shutil.rmtree(root, ignore_errors=True)
    archive.unlink()
    return tag


def build(docker: Engine, context: Path, base: str, tag: str, *extra: str) -> None:
    """``docker build`` of docker/Dockerfile over ``base``, downloads on the host's network."""
    args: Sequence[str] = (
        "build",
        "--network",
        "host",
        "--build-arg",
        f"BASE={base}",
        "-f",
        str(context / "docker" / "Dockerfile"),
        "-t",
        tag,
        *extra,
        str(context),
    )
    docker.run(*args, timeout=600)
