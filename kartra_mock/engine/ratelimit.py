"""Kartra's rate limit: 20 calls per second per ``app_id``, in a sliding window (SPEC §3.6)."""

from __future__ import annotations

from collections import deque

__all__ = ["RateLimiter"]

_WINDOW = 1.0


class RateLimiter:
    """Counts served calls per app in the last second; ``limit == 0`` turns it off."""

    __slots__ = ("_calls",)

    def __init__(self) -> None:
        self._calls: dict[str, deque[float]] = {}

    def admit(self, app_id: str, now: float, limit: int) -> bool:
        """Whether a call from ``app_id`` at ``now`` is served; a served call is counted."""
        if limit <= 0:
            return True
        calls = self._calls.get(app_id)
        if calls is None:
            calls = self._calls[app_id] = deque()
        while calls and calls[0] <= now - _WINDOW:
            calls.popleft()
        if len(calls) >= limit:
            return False
        calls.append(now)
        return True

    def clear(self) -> None:
        """Forget every counted call."""
        self._calls.clear()
