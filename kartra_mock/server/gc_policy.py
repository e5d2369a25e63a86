"""The served process's garbage collection: no collection ever walks the world of leads.

CPython's cyclic collector walks every tracked object of the generations it collects; the
oldest generation holds everything long-lived, and a world of leads (with the journal) grows
by about a dozen tracked objects per call. Measured under the HTTP benchmark's mix
(``benchmarks/RESULTS.md``, section http), full collections paused calls for 60–140 ms even
when the loaded world was frozen once and survivors again past 50,000 objects.

``kartra-mock serve`` therefore freezes (:func:`gc.freeze`) the loaded world at start and,
after every collection of the middle generation, whatever survived it: an object that has
lived through two young collections is long-lived (the world, the journal, open connections)
and is never walked again. Young collections still run as usual and free the short-lived
cycles of each call (exceptions with their tracebacks, tasks), so a collection never walks
more than the objects of the last few hundred calls.

What this costs: an object that later becomes garbage *in a reference cycle* after it was
frozen is never freed (plain garbage still is, by reference counting). The world and the
journal hold no cycles, and asyncio and uvicorn break a closed connection's cycles
explicitly. Measured: 40,000 connections opened and closed (normal calls, 404s, clients
that hang up mid-body, invalid JSON) leave the resident memory where the unfrozen collector
leaves it. Only the served process does this: an in-process mock never touches the garbage
collector of a user's test run.
"""

from __future__ import annotations

import gc

__all__ = ["install", "uninstall"]


def _freeze_survivors(phase: str, info: dict[str, int]) -> None:
    # At the end of a middle- or full-generation collection the young generations are
    # empty: what is left is what survived, and it moves to the permanent generation.
    if phase == "stop" and info["generation"] >= 1:
        gc.freeze()


def install() -> None:
    """Freeze what is alive now (the loaded world), and every survivor from now on."""
    gc.collect()
    gc.freeze()
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


def uninstall() -> None:
    """Stop freezing survivors and let the collector walk what was frozen again."""
    if _freeze_survivors in gc.callbacks:
        gc.callbacks.remove(_freeze_survivors)
    gc.unfreeze()
