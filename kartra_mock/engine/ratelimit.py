"""Kartra's rate limit: 20 calls per second per ``app_id``, in a sliding window
(docs/behaviour.md#rate-limit).

Only apps that called in the last second are remembered: an app idle for a whole window is
forgotten (its count is zero anyway), so junk ``app_id`` values cannot grow memory. Apps are
kept in the order they last called, so finding the idle ones costs O(1) amortised per call.
"""

from __future__ import annotations

from collections import OrderedDict, deque

__all__ = ["RateLimiter"]

_WINDOW = 1.0


class RateLimiter:
    """Counts served calls per app in the last second; ``limit == 0`` turns it off."""

    __slots__ = ("_calls",)

    def __init__(self) -> None:
        # Least recently called first.
        self._calls: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        """How many apps are remembered (those that called within about the last second)."""
        return len(self._calls)

    def admit(self, app_id: str, now: float, limit: int) -> bool:
        """Whether a call from ``app_id`` at ``now`` is served; a served call is counted."""
        if limit <= 0:
            return True
        self._forget_idle(now)
        calls = self._calls.get(app_id)
        if calls is None:
            calls = self._calls[app_id] = deque()
        else:
            self._calls.move_to_end(app_id)
        while calls and calls[0] <= now - _WINDOW:
            calls.popleft()
        if len(calls) >= limit:
            return False
        calls.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        # The least recently called app goes if even its newest call left the window; each
        # app is forgotten at most once per time it called, hence O(1) amortised.
        calls = self._calls
        while calls:
            oldest = next(iter(calls.values()))
            if oldest and oldest[-1] > now - _WINDOW:
                return
            calls.popitem(last=False)

    def clear(self) -> None:
        """Forget every counted call."""
        self._calls.clear()
