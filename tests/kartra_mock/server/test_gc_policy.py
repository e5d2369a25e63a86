"""The served process's collector policy (kartra_mock/server/gc_policy.py), in a child process.

A child, because the policy changes the whole interpreter's garbage collector: the test run's
own must stay as it is.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.subprocess

_PROBE = textwrap.dedent(
    """
    import gc, json
    from kartra_mock.server import gc_policy

    class Node:
        pass

    def cycle():
        node = Node()
        node.self = node
        return node

    loaded = [cycle() for _ in range(1000)]          # the world, loaded before serving
    gc_policy.install()
    at_start = gc.get_freeze_count()
    kept = [cycle() for _ in range(5000)]            # what the calls keep (the journal, leads)
    gc.collect(1)                                    # a middle-generation collection
    after_middle = gc.get_freeze_count()
    in_oldest = len(gc.get_objects(2))
    garbage = [cycle() for _ in range(100)]
    del garbage
    young_freed = gc.collect(0)                      # short-lived cycles are still collected
    gc_policy.uninstall()
    print(json.dumps({
        "at_start": at_start, "after_middle": after_middle, "in_oldest": in_oldest,
        "young_freed": young_freed, "unfrozen": gc.get_freeze_count(),
    }))
    """
)


def _probe() -> dict[str, int]:
    import json

    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    result: dict[str, int] = json.loads(done.stdout)
    return result


def test_the_loaded_world_and_every_survivor_leave_the_collectors_walks() -> None:
    result = _probe()
    assert result["at_start"] >= 1000, result  # the loaded world is frozen at start
    assert result["after_middle"] >= result["at_start"] + 5000, result  # survivors frozen too
    assert result["in_oldest"] == 0, result  # nothing left for a full collection to walk
    assert result["young_freed"] >= 100, result  # young cyclic garbage is still freed
    assert result["unfrozen"] == 0, result  # uninstall gives everything back to the collector
