"""State document dump and load at 100 thousand leads (``GET`` / ``PUT /_mock/state``)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable

from benchmarks import whole_world
from benchmarks.figures import Figure, at_most

__all__ = ["document_with", "measure"]

SECTION = "state document"


def document_with(leads: int) -> dict[str, object]:
    """The built-in world with ``leads`` leads in the demo account, each tagged and listed."""
    from kartra_mock.engine.state import DEFAULT_DOCUMENT

    document = copy.deepcopy(DEFAULT_DOCUMENT)
    accounts = document["accounts"]
    assert isinstance(accounts, list)
    accounts[0]["leads"] = [
        {
            "id": number,
            "email": f"lead-{number}@example.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "custom_fields": {"text1": "hello", "dropdown1": 612},
            "tags": ["Customer"],
            "lists": ["Newsletter"],
        }
        for number in range(1, leads + 1)
    ]
    return document


def _seconds(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(leads: int) -> list[Figure]:
    """Dump and load times of a world of ``leads`` leads, each step on its own."""
    from kartra_mock.engine.backend import Backend

    backend = Backend(document_with(leads))
    dumped: dict[str, object] = {}
    text = ""

    def dump() -> None:
        dumped.update(backend.state())

    def encode() -> None:
        nonlocal text
        text = json.dumps(dumped, ensure_ascii=False, separators=(",", ":"))

    dump_s, encode_s = _seconds(dump), _seconds(encode)
    parsed: dict[str, object] = {}

    def decode() -> None:
        parsed.update(json.loads(text))

    def load() -> None:
        backend.put_state(parsed)

    decode_s, load_s = _seconds(decode), _seconds(load)
    reset_all_s = _seconds(backend.reset)
    reset_other_s = _seconds(lambda: backend.reset("an-account-of-one-test"))
    reset_own_s = _seconds(lambda: backend.reset("demo-key"))
    size = f"{leads:,} leads"
    return [
        Figure(SECTION, f"document size, {size}", len(text.encode()) / 2**20, "MB"),
        Figure(SECTION, f"dump (Backend.state), {size}", dump_s * 1000, "ms"),
        Figure(
            SECTION,
            f"dump + JSON encode (GET /_mock/state), {size}",
            (dump_s + encode_s) * 1000,
            "ms",
        ),
        Figure(
            SECTION,
            f"load (Backend.put_state), {size}",
            load_s * 1000,
            "ms",
            # 3,801 ms before the fast path, on this machine (RESULTS.md of the first round).
            at_most(load_s * 1000, 3801 / 5, "≥ 5× faster than 3,801 ms")
            if leads >= 100_000
            else None,
        ),
        Figure(
            SECTION,
            f"JSON decode + load (PUT /_mock/state), {size}",
            (decode_s + load_s) * 1000,
            "ms",
        ),
        Figure(SECTION, f"reset everything (POST /_mock/reset), {size}", reset_all_s * 1000, "ms"),
        Figure(
            SECTION,
            f"reset another account (POST /_mock/reset?api_key=…), {size} seeded",
            reset_other_s * 1000,
            "ms",
        ),
        Figure(
            SECTION,
            f"reset the account that holds them (POST /_mock/reset?api_key=demo-key), {size}",
            reset_own_s * 1000,
            "ms",
        ),
        *whole_world.seeding(),
        *whole_world.api_while_dumping(document_with(leads)),
    ]
