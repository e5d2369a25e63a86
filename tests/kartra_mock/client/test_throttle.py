"""The throttle itself: FIFO send slots, at most ``limit`` per window, safe across threads."""

from __future__ import annotations

import threading

import pytest

from kartra_mock.client import SHARED_THROTTLES, Throttle, ThrottleRegistry
from kartra_mock.client.throttle import resolve_throttle


def test_the_first_limit_calls_go_at_once_then_each_waits_for_a_slot() -> None:
    throttle = Throttle(limit=3, window=1.0)
    assert [throttle.reserve(10.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert throttle.reserve(10.0) == 1.0
    assert throttle.reserve(10.5) == 0.5  # queued behind the previous one, first come first served
    assert throttle.reserve(12.0) == 0.0


def test_slots_free_as_the_window_slides() -> None:
    throttle = Throttle(limit=2, window=1.0)
    assert throttle.reserve(0.0) == 0.0
    assert throttle.reserve(0.4) == 0.0
    assert throttle.reserve(0.5) == pytest.approx(0.5)  # the call at 0.0 leaves at 1.0
    assert throttle.reserve(1.0) == pytest.approx(0.4)  # the call at 0.4 leaves at 1.4


def test_no_window_ever_holds_more_than_the_limit_across_threads() -> None:
    throttle = Throttle(limit=20, window=1.0)
    times: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            at = 5.0 + throttle.reserve(5.0)
            with lock:
                times.append(at)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    assert len(times) == 400
    assert all(times[i + 20] - times[i] >= 1.0 for i in range(len(times) - 20))
    assert times[-1] == 5.0 + 19  # 400 calls at 20 per second: the last in the 20th second


def test_the_registry_hands_one_throttle_per_app() -> None:
    registry = ThrottleRegistry(limit=5)
    assert registry.throttle_for("a") is registry.throttle_for("a")
    assert registry.throttle_for("a") is not registry.throttle_for("b")
    assert registry.throttle_for("a").limit == 5
    assert repr(registry) == "ThrottleRegistry(limit=5, window=1.0, apps=2)"


def test_the_client_setting() -> None:
    registry = ThrottleRegistry()
    assert resolve_throttle(False, "a") is None
    assert resolve_throttle(True, "a") is SHARED_THROTTLES.throttle_for("a")
    assert resolve_throttle(registry, "a") is registry.throttle_for("a")
    assert SHARED_THROTTLES.limit == 20


@pytest.mark.parametrize(("limit", "window"), [(0, 1.0), (20, 0.0)])
def test_a_throttle_needs_a_positive_limit_and_window(limit: int, window: float) -> None:
    with pytest.raises(ValueError, match="limit >= 1 and window > 0"):
        Throttle(limit, window)
