"""The throttle itself: FIFO slots, freed a window after the answer; never trips a 20/s limiter.

The simulation drives the throttle on a fake clock against the server's own limiter, with
whatever network delays hypothesis picks: a call arrives some time after it was let go and
its answer comes back some time after that. The limiter counts arrivals, so a throttle that
books by send time alone (the first call slow to arrive, the 21st fast) gets a 429.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kartra_mock import create_app
from kartra_mock.client import SHARED_THROTTLES, KartraClient, Throttle, ThrottleRegistry
from kartra_mock.client.throttle import DEFAULT_MARGIN, resolve_throttle
from kartra_mock.engine.backend import Backend
from kartra_mock.engine.ratelimit import RateLimiter
from kartra_mock.server.threaded import ThreadedServer
from tests.kartra_mock.client import DEMO

HOLD = 1.0 + DEFAULT_MARGIN


def slot_now(throttle: Throttle, now: float) -> int:
    """Join and take a slot at ``now``; fails if the throttle asks to wait."""
    ticket = throttle.join()
    assert throttle.wait(ticket, now) == 0.0
    return ticket


def test_the_first_limit_calls_go_at_once_then_one_waits_for_an_answer() -> None:
    throttle = Throttle(limit=3, window=1.0)
    first, second, third = (slot_now(throttle, 10.0) for _ in range(3))
    fourth = throttle.join()
    # All in flight: no slot frees before a window after the first was let go ...
    assert throttle.wait(fourth, 10.0) == pytest.approx(HOLD)
    # ... and after that, only once an answer is back: poll.
    assert throttle.wait(fourth, 10.0 + HOLD) == pytest.approx(1.0 / 3 / 4)
    throttle.done(second, 10.5)
    throttle.done(third, 10.5)
    throttle.done(first, 10.2)  # the answer came back at 10.2: the slot frees at 11.2 + margin
    assert throttle.wait(fourth, 10.3) == pytest.approx(10.2 + HOLD - 10.3)
    assert throttle.wait(fourth, 10.2 + HOLD) == 0.0


def test_waiting_calls_are_served_first_come_first_served() -> None:
    throttle = Throttle(limit=2, window=1.0)
    first, second = slot_now(throttle, 0.0), slot_now(throttle, 0.0)
    early, late = throttle.join(), throttle.join()
    throttle.done(second, 0.1)
    throttle.done(first, 0.5)
    assert throttle.wait(late, 0.1 + HOLD) > 0  # the free slot is the earlier caller's
    assert throttle.wait(early, 0.1 + HOLD) == 0.0
    assert throttle.wait(late, 0.1 + HOLD) == pytest.approx(0.4)
    assert throttle.wait(late, 0.5 + HOLD) == 0.0


def test_a_call_that_leaves_the_line_gives_its_place_up() -> None:
    throttle = Throttle(limit=1, window=1.0)
    held = slot_now(throttle, 0.0)
    gone, waiting = throttle.join(), throttle.join()
    throttle.done(gone, 0.0)  # cancelled before it was sent
    throttle.done(held, 0.0)
    assert throttle.wait(waiting, HOLD) == 0.0


@dataclass(frozen=True, slots=True)
class Call:
    """One simulated call: think, then wait for a slot, travel ``up``, answered ``down`` later."""

    think: float
    up: float
    down: float


calls = st.builds(
    Call,
    think=st.floats(0, 0.05),
    up=st.floats(0, 0.3),
    down=st.floats(0, 0.3),
)


def simulate(throttle: Throttle, workers: list[list[Call]], limit: int = 20) -> list[bool]:
    """Run ``workers`` (each a list of calls, one after the other) on a fake clock.

    Returns, in arrival order, whether the server's limiter served each call.
    """
    limiter = RateLimiter()
    served: list[bool] = []
    order = itertools.count()
    events: list[tuple[float, int, Callable[[float], None]]] = []

    def at(time: float, action: Callable[[float], None]) -> None:
        heapq.heappush(events, (time, next(order), action))

    def start(queue: list[Call]) -> Callable[[float], None]:
        def begin(now: float) -> None:
            if not queue:
                return
            call = queue.pop(0)
            ticket = throttle.join()

            def attempt(now: float) -> None:
                delay = throttle.wait(ticket, now)
                if delay > 0:
                    at(now + delay, attempt)
                    return

                def arrive(now: float) -> None:
                    served.append(limiter.admit("app", now, limit))

                    def answered(now: float) -> None:
                        throttle.done(ticket, now)
                        at(now + queue[0].think if queue else now, begin)

                    at(now + call.down, answered)

                at(now + call.up, arrive)

            at(now + call.think, attempt)

        return begin

    for queue in workers:
        at(0.0, start(list(queue)))
    while events:
        time, _, action = heapq.heappop(events)
        action(time)
    return served


@settings(max_examples=150, deadline=None)
@given(workers=st.lists(st.lists(calls, min_size=1, max_size=4), min_size=1, max_size=30))
def test_a_faithful_limiter_never_refuses_a_throttled_call(workers: list[list[Call]]) -> None:
    served = simulate(Throttle(limit=20, window=1.0), workers)
    assert len(served) == sum(len(queue) for queue in workers)
    assert all(served)


def test_calls_slow_to_arrive_do_not_trip_the_limiter() -> None:
    # The case that tripped the limiter when slots were booked by send time: calls 1-20
    # take 0.3 s to arrive, call 21 (sent a second after them) arrives at once.
    workers = [[Call(0, 0.3, 0.0)] for _ in range(20)] + [[Call(0, 0.0, 0.0)]]
    assert simulate(Throttle(limit=20, window=1.0), workers) == [True] * 21


def test_no_window_holds_more_than_the_limit_across_threads() -> None:
    throttle = Throttle(limit=20, window=1.0)
    lock = threading.Lock()
    clock = [5.0]
    sent: list[float] = []

    def worker() -> None:
        for _ in range(25):
            ticket = throttle.join()
            while (delay := throttle.wait(ticket, clock[0])) > 0:
                with lock:
                    clock[0] += delay / 8
            with lock:
                sent.append(clock[0])
            throttle.done(ticket, clock[0])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent.sort()
    assert len(sent) == 200
    assert all(sent[i + 20] - sent[i] >= 1.0 for i in range(len(sent) - 20))


def test_the_registry_hands_one_throttle_per_app() -> None:
    registry = ThrottleRegistry(limit=5)
    assert registry.throttle_for("a") is registry.throttle_for("a")
    assert registry.throttle_for("a") is not registry.throttle_for("b")
    assert registry.throttle_for("a").limit == 5
    assert repr(registry) == "ThrottleRegistry(limit=5, window=1.0, apps=2)"
    assert repr(registry.throttle_for("a")) == "Throttle(limit=5, window=1.0, margin=0.005)"


def test_the_client_setting() -> None:
    registry = ThrottleRegistry()
    assert resolve_throttle(False, "a") is None
    assert resolve_throttle(True, "a") is SHARED_THROTTLES.throttle_for("a")
    assert resolve_throttle(registry, "a") is registry.throttle_for("a")
    assert SHARED_THROTTLES.limit == 20


@pytest.mark.parametrize(
    ("limit", "window", "margin"), [(0, 1.0, 0.0), (20, 0.0, 0.0), (20, 1.0, -1)]
)
def test_a_throttle_needs_a_positive_limit_and_window(
    limit: int, window: float, margin: float
) -> None:
    with pytest.raises(ValueError, match="limit >= 1, window > 0 and margin >= 0"):
        Throttle(limit, window, margin=margin)


@pytest.mark.slow
@pytest.mark.socket
def test_bursts_of_throttled_calls_over_a_socket_never_get_a_429() -> None:
    # Six apps at once, each with a burst of 25 calls from 5 threads: a second of sending,
    # and enough scheduling jitter between send and arrival to trip a throttle that books by
    # send time in most runs.
    registry = ThrottleRegistry()
    apps = [f"burst-{n}" for n in range(6)]
    backend = Backend()
    with ThreadedServer(create_app(backend=backend)) as server:
        barrier = threading.Barrier(len(apps) * 5)

        def burst(app_id: str) -> None:
            with KartraClient(
                app_id=app_id,
                api_key=DEMO["api_key"],
                api_password=DEMO["api_password"],
                base_url=server.url + "/api",
                throttle=registry,
                max_retries=0,
            ) as client:
                barrier.wait()
                for _ in range(5):
                    client.retrieve_account_tags()

        threads = [threading.Thread(target=burst, args=(app,)) for app in apps for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    statuses = [entry.status_code for entry in backend.journal()]
    assert len(statuses) == 150
    assert set(statuses) == {200}
