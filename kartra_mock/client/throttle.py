"""A client-side throttle: at most 20 calls per second per ``app_id`` (research §1.6).

Kartra's limit is per app, shared by every user of that app, and Kartra recommends a FIFO
queue that throttles to 20 calls per second. A :class:`Throttle` hands out send times in
arrival order, so that no one-second window holds more than ``limit`` calls; it only
*computes* delays, so the sync client sleeps with ``time.sleep`` and the async client with
``asyncio.sleep`` without ever blocking the event loop.

Every client created with ``throttle=True`` shares :data:`SHARED_THROTTLES`, one throttle per
``app_id`` for the whole process; pass your own :class:`ThrottleRegistry` to isolate a group.

Example::

    throttle = ThrottleRegistry().throttle_for("my-app")
    delay = throttle.reserve(time.monotonic())  # 0.0 for the first 20 calls of a second
"""

from __future__ import annotations

import threading
from collections import deque

__all__ = [
    "KARTRA_CALLS_PER_SECOND",
    "SHARED_THROTTLES",
    "Throttle",
    "ThrottleRegistry",
    "resolve_throttle",
]

#: Kartra's documented limit: 20 API calls per second per app (research §1.6).
KARTRA_CALLS_PER_SECOND = 20


class Throttle:
    """Send times for one app: at most ``limit`` calls in any ``window`` seconds, FIFO."""

    __slots__ = ("_lock", "_sent", "limit", "window")

    def __init__(self, limit: int = KARTRA_CALLS_PER_SECOND, window: float = 1.0) -> None:
        if limit < 1 or window <= 0:
            raise ValueError(f"a throttle needs limit >= 1 and window > 0, not {limit}, {window}")
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        # Only the last `limit` send times matter for the next one.
        self._sent: deque[float] = deque(maxlen=limit)

    def reserve(self, now: float) -> float:
        """Book the next send slot; return how long to wait from ``now`` (0.0: send at once)."""
        with self._lock:
            at = now
            if self._sent:
                at = max(at, self._sent[-1])  # first come, first served
            if len(self._sent) == self.limit:
                at = max(at, self._sent[0] + self.window)
            self._sent.append(at)
            return at - now

    def __repr__(self) -> str:
        return f"Throttle(limit={self.limit}, window={self.window})"


class ThrottleRegistry:
    """One :class:`Throttle` per ``app_id``, created on first use; safe across threads."""

    __slots__ = ("_lock", "_throttles", "limit", "window")

    def __init__(self, limit: int = KARTRA_CALLS_PER_SECOND, window: float = 1.0) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._throttles: dict[str, Throttle] = {}

    def throttle_for(self, app_id: str) -> Throttle:
        """The throttle every client of ``app_id`` in this registry shares."""
        with self._lock:
            throttle = self._throttles.get(app_id)
            if throttle is None:
                throttle = self._throttles[app_id] = Throttle(self.limit, self.window)
            return throttle

    def __repr__(self) -> str:
        apps = len(self._throttles)
        return f"ThrottleRegistry(limit={self.limit}, window={self.window}, apps={apps})"


#: The process-wide registry behind ``throttle=True``: Kartra counts calls per app, not per
#: client object, so every client of one ``app_id`` must queue in the same line.
SHARED_THROTTLES = ThrottleRegistry()


def resolve_throttle(setting: bool | ThrottleRegistry, app_id: str) -> Throttle | None:
    """The throttle a client uses: none, the process-wide one, or one from ``setting``."""
    if setting is False:
        return None
    registry = SHARED_THROTTLES if setting is True else setting
    return registry.throttle_for(app_id)
