"""Fixtures for the container tests (marker ``container``): an engine, the base, the image.

They skip, saying why, where no engine can be had (no docker.io, not root, dockerd will not
start) and under pytest-xdist: the tests share one engine, one image and possibly a dockerd
started here, so they run in one process (``python -m pytest -m container``, as ``.ci/run``
does). Figures (build time, base and image sizes) are printed at the end of the run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docker.engine import Engine, EngineUnavailable, build, engine, make_base

ROOT = Path(__file__).parents[2]
FIGURES = pytest.StashKey[dict[str, str]]()


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> dict[str, str]:
    """Measurements the container tests report (printed in the terminal summary)."""
    return request.config.stash.setdefault(FIGURES, {})


@pytest.fixture(scope="session")
def docker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A Docker engine that answers (the running one, else a dockerd started for the session)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("container tests share one engine: run them in one process (-m container)")
    try:
        with engine(tmp_path_factory.mktemp("dockerd") / "dockerd.log") as found:
            yield found
    except EngineUnavailable as exc:
        pytest.skip(f"no container engine: {exc}")


@pytest.fixture(scope="session")
def base(docker: Engine, tmp_path_factory: pytest.TempPathFactory, figures: dict[str, str]) -> str:
    """The local Debian base (made once, then reused from the engine's image store)."""
    started = time.monotonic()
    try:
        tag = make_base(docker, tmp_path_factory.mktemp("base"))
    except EngineUnavailable as exc:
        pytest.skip(f"no base image: {exc}")
    figures["base image"] = f"{tag} ({time.monotonic() - started:.0f} s to make or find)"
    return tag


@pytest.fixture(scope="session")
def image(docker: Engine, base: str, figures: dict[str, str]) -> Iterator[str]:
    """docker/Dockerfile built over the local base; removed after the session."""
    tag = f"kartra-mock:test-{os.getpid()}"
    started = time.monotonic()
    build(docker, ROOT, base, tag)
    figures["image build"] = f"{time.monotonic() - started:.0f} s"
    base_size, image_size = docker.image_size(base), docker.image_size(tag)
    figures["size"] = (
        f"base {base_size / 1e6:.0f} MB, image {image_size / 1e6:.0f} MB "
        f"(+{(image_size - base_size) / 1e6:.0f} MB)"
    )
    yield tag
    docker.run("image", "rm", "--force", tag, check=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The container figures, when the container tests ran."""
    found = terminalreporter.config.stash.get(FIGURES, {})
    if found:
        terminalreporter.section("container figures")
        for name, value in found.items():
            terminalreporter.write_line(f"{name}: {value}")
