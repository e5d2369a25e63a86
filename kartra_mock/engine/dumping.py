"""Dumping a big world without holding ``/api`` up: the leads go out in chunks, as they were.

The dump takes the world's moment under the backend's lock — everything but the leads is
written then, and the leads to write are listed — and writes the leads a chunk at a time,
taking the lock for each chunk only. A call that runs between two chunks may change a lead
not yet written: before it does, :meth:`Dump.keep` writes that lead as it still is. So the
document is the world as it was when the dump began, whatever ran meanwhile; leads created
since are not in it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager

from kartra_mock.domain.model import Account, Lead, World
from kartra_mock.engine.state import dump_world
from kartra_mock.engine.state_leads import dump_lead
from kartra_mock.protocol.forms import PhpValue

__all__ = ["CHUNK", "Dump", "leads_of_call", "pause", "run"]

#: Leads written per hold of the lock: about ten milliseconds of work.
CHUNK = 1000


class Dump:
    """One dump in progress; made, and kept, under the backend's lock."""

    def __init__(self, world: World) -> None:
        self.document = dump_world(world, leads=False)
        accounts = self.document["accounts"]
        assert isinstance(accounts, list)
        self._todo: list[tuple[list[dict[str, object]], list[Lead]]] = [
            (item["leads"], list(account.leads.values()))
            for item, account in zip(accounts, world.accounts.values(), strict=True)
        ]
        #: id() of each lead not written yet (the Lead objects stay alive in _todo).
        self._pending = {id(lead) for _, leads in self._todo for lead in leads}
        self._kept: dict[int, dict[str, object]] = {}

    def keep(self, leads: Iterable[Lead]) -> None:
        """Write these leads as they are now, before a change (under the lock)."""
        for lead in leads:
            key = id(lead)
            if key in self._pending and key not in self._kept:
                self._kept[key] = dump_lead(lead)

    def chunks(self) -> Iterator[None]:
        """Write the leads; the caller holds the lock while each step runs."""
        for written, leads in self._todo:
            for start in range(0, len(leads), CHUNK):
                for lead in leads[start : start + CHUNK]:
                    key = id(lead)
                    kept = self._kept.pop(key, None)
                    written.append(dump_lead(lead) if kept is None else kept)
                    self._pending.discard(key)
                yield None


def _identities(value: PhpValue | None) -> list[str]:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # JSON bodies may send ``lead`` as a one-element list
    if not isinstance(value, dict):
        return []
    return [text for key in ("id", "email") if isinstance(text := value.get(key), str)]


def leads_of_call(account: Account | None, params: Mapping[str, PhpValue]) -> list[Lead]:
    """Every lead an ``/api`` call could change: the one ``lead`` or ``get_lead`` names."""
    if account is None:
        return []
    found: list[Lead] = []
    for text in _identities(params.get("lead")) + _identities(params.get("get_lead")):
        for lead in (account.find_by_id(text), account.find_by_email(text)):
            if lead is not None:
                found.append(lead)
    return found


def pause() -> None:
    """Between two chunks: let a thread waiting for the lock (the event loop) take it first."""
    time.sleep(0)


def run(dump: Dump, lock: AbstractContextManager[object]) -> dict[str, object]:
    """Write every chunk, each under ``lock``; the finished document."""
    steps = dump.chunks()
    while True:
        with lock:
            if next(steps, StopIteration) is StopIteration:
                return dump.document
        pause()


#: Leads per chunk of the JSON encoding; one chunk takes about a millisecond to encode.
ENCODE_CHUNK = 500
#: Stands for a list while the JSON around it is written: no other string encodes to it.
_MARK = "\x00list\x00"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _around(value: dict[str, object], key: str) -> tuple[str, str] | None:
    """The JSON of ``value`` before and after its ``key``'s value (``None`` if not unique)."""
    mark = _json(_MARK)
    before, found, after = _json({**value, key: _MARK}).partition(mark)
    return (before, after) if found and mark not in after else None


def _list_of(value: object, key: str) -> tuple[list[object], tuple[str, str]] | None:
    """``value[key]`` when ``value`` is an object holding a list there, and the JSON around it."""
    if not isinstance(value, dict):
        return None
    items = value.get(key)
    if not isinstance(items, list):
        return None
    around = _around(value, key)
    return None if around is None else (items, around)


def encode(document: Mapping[str, object]) -> bytes:
    """The state document as compact JSON, its leads encoded a chunk at a time.

    ``json.dumps`` holds the interpreter for the whole call (about 150 ms for 100,000 leads):
    encoding each account's leads in chunks, with a :func:`pause` between them, lets the event
    loop answer ``/api`` meanwhile. The bytes are those of one ``json.dumps`` call.
    """
    outer = _list_of(dict(document), "accounts")
    if outer is None:
        return _json(document).encode()
    accounts, (head, tail) = outer
    parts = [head, "["]
    for number, account in enumerate(accounts):
        if number:
            parts.append(",")
        inner = _list_of(account, "leads")
        if inner is None:
            parts.append(_json(account))
            continue
        leads, (before, after) = inner
        parts += [before, "["]
        for start in range(0, len(leads), ENCODE_CHUNK):
            if start:
                parts.append(",")
                pause()
            parts.append(_json(leads[start : start + ENCODE_CHUNK])[1:-1])
        parts += ["]", after]
    parts += ["]", tail]
    return "".join(parts).encode()
