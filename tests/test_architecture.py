"""The architecture of CONTRIBUTING.md, kept true: dependencies point one way."""

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
    target = ROOT / package
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


#: What each layer may import of ``kartra_mock`` (besides itself): dependencies point one way,
#: ``protocol ← domain ← engine ← server ← testing``, ``protocol ← client ← contracts``.
LAYERS: dict[str, tuple[str, ...]] = {
    "kartra_mock/protocol": ("kartra_mock.protocol",),
    # The public name of the error catalogue, a re-export of kartra_mock.protocol.errors.
    "kartra_mock/errors.py": ("kartra_mock.protocol",),
    "kartra_mock/domain": ("kartra_mock.protocol", "kartra_mock.domain"),
    "kartra_mock/engine": (
        "kartra_mock.protocol",
        "kartra_mock.domain",
        "kartra_mock.engine",
        # The backend hands what each call changed to the outbound sender after the lock.
        "kartra_mock.outbound",
    ),
    # Kartra's outbound calls: events from domain state, sent by the mock's machinery.
    "kartra_mock/outbound": (
        "kartra_mock.protocol",
        "kartra_mock.domain",
        "kartra_mock.engine",
        "kartra_mock.outbound",
    ),
    "kartra_mock/server": (
        "kartra_mock.protocol",
        "kartra_mock.domain",
        "kartra_mock.engine",
        "kartra_mock.outbound",
        "kartra_mock.server",
    ),
    # The client talks to any Kartra: it must not reach into the mock.
    "kartra_mock/client": ("kartra_mock.protocol", "kartra_mock.errors", "kartra_mock.client"),
    # The contracts judge any client/server pair, the mock included.
    "contracts": (
        "kartra_mock.protocol",
        "kartra_mock.client",
        "contracts",
    ),
}

#: Third-party libraries a layer must not import.
FOREIGN: dict[str, tuple[str, ...]] = {
    "kartra_mock/protocol": ("starlette", "uvicorn", "httpx", "hypothesis", "pytest"),
    "kartra_mock/domain": ("starlette", "uvicorn", "httpx", "hypothesis", "pytest"),
    "kartra_mock/engine": ("starlette", "uvicorn", "httpx", "hypothesis", "pytest"),
    "kartra_mock/server": ("httpx", "hypothesis", "pytest"),
    "kartra_mock/client": ("starlette", "uvicorn", "hypothesis", "pytest"),
}

#: Imports that break a rule today, each with the reason it is tolerated.
EXCEPTIONS: dict[str, str] = {
    # check_client runs the suite against an in-process mock by default.
    "contracts/check.py imports kartra_mock.testing": "the default target of check_client",
    # The test receiver serves itself on the mock's threaded uvicorn server.
    "kartra_mock/outbound/receiver.py imports kartra_mock.server.threaded": "a real socket",
}


def _allowed(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_dependencies_point_one_way(package: str) -> None:
    paths = modules(package)
    assert paths, f"nothing to check under {package}"
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in paths
        for name in sorted(imports_of(path))
        if (name.startswith("kartra_mock.") and not _allowed(name, LAYERS[package]))
        or _allowed(name, FOREIGN.get(package, ()))
        or (name == "kartra_mock" and package == "contracts")
    ]
    assert [line for line in bad if line not in EXCEPTIONS] == []


def test_every_exception_is_still_needed() -> None:
    present = {
        f"{path.relative_to(ROOT)} imports {name}"
        for package in LAYERS
        for path in modules(package)
        for name in imports_of(path)
    }
    assert sorted(set(EXCEPTIONS) - present) == []


@pytest.mark.subprocess
def test_the_package_imports_nothing_heavy_at_import_time() -> None:
    heavy = "{'starlette', 'uvicorn', 'httpx', 'hypothesis'}"
    code = (
        "import sys, kartra_mock; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_module_is_over_400_lines_without_a_reason_at_its_top() -> None:
    unexplained = [
        f"{path.relative_to(ROOT)}: {len(lines)} lines"
        for package in ("kartra_mock", "contracts")
        for path in sorted((ROOT / package).rglob("*.py"))
        if len(lines := path.read_text(encoding="utf-8").splitlines()) > 400
        and not lines[0].startswith("# Over 400 lines: ")
    ]
    assert not unexplained, "split the module, or say why not in its first line"


def _layout_block() -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1]
    return section.split("```", 2)[1]


def test_the_layout_in_contributing_names_every_part_of_the_package() -> None:
    # The drawn tree and the real one agree: each subpackage and top-level module of kartra_mock
    # stands in the layout, and each name the layout gives under kartra_mock/ exists.
    package = ROOT / "kartra_mock"
    real = {
        f"{path.name}/" if path.is_dir() else path.name
        for path in package.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and path.name not in ("__init__.py", "__main__.py"))
    }
    block = _layout_block()
    drawn_part = block.split("kartra_mock/", 1)[1].split("\ncontracts/", 1)[0]
    drawn = {
        word
        for line in drawn_part.splitlines()
        if line.startswith("  ") and not line.startswith("   ")
        for word in line.split()[:1]
    }
    assert real == drawn
    for top in ("contracts/", "benchmarks/", "docs/", "tests/"):
        assert f"\n{top}" in block
        assert (ROOT / top).is_dir()
