"""The sync client is generated from the async one, and the generated file is current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools import unasync

SOURCE, TARGET = next(iter(unasync.FILES.items()))


@pytest.mark.subprocess  # ruff formats the generated text
def test_the_sync_client_is_current() -> None:
    """Fails when the async client changed and ``python -m tools.unasync`` was not run."""
    assert unasync.stale() == [], (
        "run `python -m tools.unasync` and commit kartra_mock/client/sync.py"
    )


def test_async_code_becomes_its_sync_twin() -> None:
    source = (
        "# why this module is long\n"
        "import asyncio\n"
        "import time\n"
        "from collections.abc import Awaitable, Callable\n"
        "async def f(http: httpx.AsyncClient, sleep: Callable[[float], Awaitable[None]]"
        " = asyncio.sleep) -> None:\n"
        "    async with AsyncKartraClient() as client:\n"
        "        await client.aclose()\n"
    )
    assert unasync.unasync(source, "a.py") == (
        "# Over 400 lines: generated from a.py by `python -m tools.unasync`: edit that, "
        "not this.\n"
        "import time\n"
        "from collections.abc import Callable\n"
        "def f(http: httpx.Client, sleep: Callable[[float], None] = time.sleep) -> None:\n"
        "    with KartraClient() as client:\n"
        "        client.close()\n"
    )


@pytest.mark.subprocess
def test_check_mode_fails_on_a_stale_file_and_writing_makes_it_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(unasync.ROOT)
    for name in (SOURCE, TARGET):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / name, tmp_path / name)
    source = tmp_path / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            '"""Tag an existing lead."""', '"""Tag an existing lead (edited)."""'
        ),
        encoding="utf-8",
    )

    assert unasync.main(["--check"], root=tmp_path) == 1
    assert "Tag an existing lead (edited)." in capsys.readouterr().err
    assert "(edited)" not in (tmp_path / TARGET).read_text(encoding="utf-8")

    assert unasync.main([], root=tmp_path) == 0
    assert "(edited)" in (tmp_path / TARGET).read_text(encoding="utf-8")
    assert unasync.main(["--check"], root=tmp_path) == 0
