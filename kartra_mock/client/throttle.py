"""A client-side throttle: at most 20 calls per second per ``app_id`` (docs/client.md#throttle).

Kartra's limit is per app, shared by every user of that app, and Kartra recommends a FIFO
queue that throttles to 20 calls per second. Kartra counts a call when it *arrives*, which the
client never sees: it only knows that a call arrived after it was sent and before its answer
came back. So a call holds one of ``limit`` slots from the moment it is let go until
``window`` (plus a small ``margin``) after its answer came back, or after it failed.

Why that is safe, whatever the network does: take any call ``c`` and every call that arrived
in the ``window`` before it. Each of them was let go before it arrived (so before ``c``
arrived) and got its answer after it arrived (so less than ``window`` before ``c`` arrived):
at the moment ``c`` arrived, all of them and ``c`` held a slot at once, so there are at most
``limit`` of them, ``c`` included. A faithful limiter of ``limit`` calls per ``window`` never
refuses a call. ``margin`` absorbs the difference in rate between the client's clock and
the server's (milliseconds per second at most between two NTP-disciplined clocks).

The throttle only *computes* delays, so the sync client sleeps with ``time.sleep`` and the
async client with ``asyncio.sleep``, never blocking the event loop::

    ticket = throttle.join()
    while (delay := throttle.wait(ticket, time.monotonic())) > 0:
        time.sleep(delay)
    try:
        send_the_call()
    finally:
        throttle.done(ticket, time.monotonic())

Every client created with ``throttle=True`` shares :data:`SHARED_THROTTLES`, one throttle per
``app_id`` for the whole process; pass your own :class:`ThrottleRegistry` to isolate a group.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque

__all__ = [
    "KARTRA_CALLS_PER_SECOND",
    "SHARED_THROTTLES",
    "Throttle",
    "ThrottleRegistry",
    "resolve_throttle",
]

#: Kartra's documented limit: 20 API calls per second per app (docs/behaviour.md#rate-limit).
KARTRA_CALLS_PER_SECOND = 20

#: Added to the window: covers the rate difference of the client's and the server's clocks.
DEFAULT_MARGIN = 0.005


class Throttle:
    """Slots for one app: at most ``limit`` calls in flight or answered in the last ``window``."""

    __slots__ = ("_held", "_lock", "_queue", "_tickets", "limit", "margin", "window")

    def __init__(
        self,
        limit: int = KARTRA_CALLS_PER_SECOND,
        window: float = 1.0,
        *,
        margin: float = DEFAULT_MARGIN,
    ) -> None:
        if limit < 1 or window <= 0 or margin < 0:
            raise ValueError(
                "a throttle needs limit >= 1, window > 0 and margin >= 0, "
                f"not {limit}, {window}, {margin}"
            )
        self.limit = limit
        self.window = window
        self.margin = margin
        self._lock = threading.Lock()
        self._tickets = itertools.count()
        self._queue: deque[int] = deque()  # tickets waiting for a slot, first come first served
        # ticket → (when it took its slot, when it was done or None while in flight)
        self._held: dict[int, tuple[float, float | None]] = {}

    def join(self) -> int:
        """Take a place in the line; returns the ticket for :meth:`wait` and :meth:`done`."""
        with self._lock:
            ticket = next(self._tickets)
            self._queue.append(ticket)
            return ticket

    def wait(self, ticket: int, now: float) -> float:
        """``0.0``: the ticket holds a slot, send now; else sleep that long and ask again."""
        with self._lock:
            if ticket not in self._queue:
                return 0.0
            hold = self.window + self.margin
            for held, (_, finished) in list(self._held.items()):
                if finished is not None and finished + hold <= now:
                    del self._held[held]
            place = self._queue.index(ticket)
            free = self.limit - len(self._held)
            if place < free:  # the tickets ahead of this one still find a slot each
                self._queue.remove(ticket)
                self._held[ticket] = (now, None)
                return 0.0
            # The earliest a slot can free: an answer comes back after the call was let go.
            frees = sorted(
                (finished if finished is not None else taken) + hold
                for taken, finished in self._held.values()
            )
            soonest = frees[min(place - free, len(frees) - 1)] if frees else now
            return max(soonest - now, self.window / self.limit / 4)

    def done(self, ticket: int, now: float) -> None:
        """The call's answer came back, or it failed, or it was never sent: free its slot later."""
        with self._lock:
            if ticket in self._held:
                self._held[ticket] = (self._held[ticket][0], now)
            elif ticket in self._queue:
                self._queue.remove(ticket)

    def __repr__(self) -> str:
        return f"Throttle(limit={self.limit}, window={self.window}, margin={self.margin})"


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
