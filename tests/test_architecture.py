"""The architecture of HOUSE-STYLE.md, kept true: dependencies point one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def forbidden(package: str, prefixes: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(package)
        for name in sorted(imports_of(path))
        if name.startswith(prefixes)
    ]


@pytest.mark.parametrize(
    ("package", "prefixes"),
    [
        # The domain is pure: no HTTP, no server, no client, no plugin.
        (
            "kartra_mock/domain",
            (
                "starlette",
                "uvicorn",
                "httpx",
                "kartra_mock.server",
                "kartra_mock.client",
                "kartra_mock.pytest_plugin",
                "kartra_mock.cli",
            ),
        ),
        # The protocol layer knows nothing of the domain or the server.
        ("kartra_mock/forms.py", ("kartra_mock.domain", "kartra_mock.server", "starlette")),
        ("kartra_mock/protocol", ("kartra_mock.domain", "kartra_mock.server", "starlette")),
        ("kartra_mock/wire.py", ("kartra_mock.domain", "kartra_mock.server", "starlette")),
        ("kartra_mock/errors.py", ("kartra_mock.domain", "kartra_mock.server", "starlette")),
        # The client talks to any Kartra: it must not reach into the mock.
        ("kartra_mock/client", ("kartra_mock.domain", "kartra_mock.server", "starlette")),
        # The contracts judge any client/server pair, the mock included.
        ("contracts", ("kartra_mock.domain", "kartra_mock.server")),
    ],
)
def test_dependencies_point_one_way(package: str, prefixes: tuple[str, ...]) -> None:
    target = ROOT / package
    paths = [target] if target.suffix == ".py" else modules(package)
    assert paths, f"nothing to check under {package}"
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in paths
        for name in sorted(imports_of(path))
        if name.startswith(prefixes)
    ]
    assert bad == []


def test_the_package_imports_nothing_heavy_at_import_time() -> None:
    heavy = "{'starlette', 'uvicorn', 'httpx', 'hypothesis'}"
    code = (
        "import sys, kartra_mock; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
