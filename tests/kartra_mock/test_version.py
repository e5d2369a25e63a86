"""One version: pyproject.toml's, read from the installed metadata, shown by --version."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import kartra_mock
from kartra_mock.cli import main

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_package_version_is_pyprojects() -> None:
    project = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]
    assert kartra_mock.__version__ == project["version"]


def test_dash_dash_version_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"kartra-mock {kartra_mock.__version__}\n"
