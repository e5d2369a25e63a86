"""The served process's garbage collection: no full collection walks the whole world of leads.

CPython's full (generation-2) collection walks every tracked object that is still alive; a
world of leads grows by two such objects per lead, so under load a full collection of
100 k leads paused every call for hundreds of milliseconds (``benchmarks/RESULTS.md``,
section http). ``kartra-mock serve`` therefore moves what has lived through a full collection
into the permanent generation (:func:`gc.freeze`) once it passes :data:`FREEZE_AT` objects, and
freezes the loaded world at start: later full collections walk only what came after.

What this costs: an object frozen while alive that later becomes garbage *in a reference
cycle* is never freed (plain garbage still is, by reference counting). The world, the journal
and their entries hold no cycles; the few in-flight objects of a freeze moment are the leak's
bound, once per :data:`FREEZE_AT` survivors. Only the served process does this: an in-process
mock never touches the garbage collector of a user's test run.
"""

from __future__ import annotations

import gc

__all__ = ["FREEZE_AT", "install"]

#: Survivors of a full collection beyond which they are frozen.
FREEZE_AT = 50_000


def _after_full_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] == 2 and len(gc.get_objects(2)) > FREEZE_AT:
        gc.freeze()


def install() -> None:
    """Freeze what is alive now (the loaded world) and every large survivor set from now on."""
    gc.collect()
    gc.freeze()
    if _after_full_collection not in gc.callbacks:
        gc.callbacks.append(_after_full_collection)
