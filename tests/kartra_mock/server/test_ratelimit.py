"""Rate limit: 20 calls per second per app_id, HTTP 429, nothing changed
(docs/behaviour.md#rate-limit)."""

from __future__ import annotations

import json

from kartra_mock.engine.backend import Overrides
from kartra_mock.engine.ratelimit import RateLimiter
from tests.helpers import DEMO, Api


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def limited_api(clock: Clock, limit: int = 20) -> Api:
    return Api(overrides=Overrides(rate_limit=limit), clock=clock)


def test_the_21st_call_within_a_second_is_429_and_changes_nothing() -> None:
    clock = Clock()
    api = limited_api(clock)
    for i in range(20):
        assert (
            api.call({"lead": {"email": f"u{i}@example.com"}, "actions": [{"cmd": "create_lead"}]})[
                "status"
            ]
            == "Success"
        )
        clock.now += 0.01
    before = api.state()
    status, _, body = api.post(
        {"lead": {"email": "late@example.com"}, "actions": [{"cmd": "create_lead"}]}
    )
    assert status == 429
    assert json.loads(body) == {"status": "Error", "message": "Too many requests", "type": "429"}
    assert api.state() == before


def test_429_carries_no_rate_limit_headers() -> None:
    clock = Clock()
    api = limited_api(clock, limit=1)
    api.call({"actions": [{"cmd": "retrieve_account_tags"}]})
    response = api.http.post("/api", data={**DEMO, "actions[0][cmd]": "retrieve_account_tags"})
    assert response.status_code == 429
    assert not [h for h in response.headers if h.lower().startswith(("retry-after", "x-ratelimit"))]


def test_the_window_slides_and_only_served_calls_count() -> None:
    clock = Clock()
    api = limited_api(clock, limit=2)
    tags = {"actions": [{"cmd": "retrieve_account_tags"}]}
    assert api.post(tags)[0] == 200
    clock.now += 0.5
    assert api.post(tags)[0] == 200
    clock.now += 0.4
    assert api.post(tags)[0] == 429  # two served in the last second
    clock.now += 0.11  # the first call left the window; the refused one never counted
    assert api.post(tags)[0] == 200


def test_the_limit_is_per_app_id() -> None:
    clock = Clock()
    api = limited_api(clock, limit=1)
    tags = {"actions": [{"cmd": "retrieve_account_tags"}]}
    assert api.post(tags)[0] == 200
    assert api.post(tags, credentials={**DEMO, "app_id": "another-app"})[0] == 200
    assert api.post(tags)[0] == 429


def test_zero_turns_the_limit_off() -> None:
    limiter = RateLimiter()
    assert all(limiter.admit("app", 5.0, 0) for _ in range(1000))


def test_the_limit_is_on_by_default() -> None:
    api = Api(overrides=Overrides(), clock=Clock())
    assert api.backend.settings.rate_limit == 20
    codes = [api.post({"actions": [{"cmd": "retrieve_account_tags"}]})[0] for _ in range(21)]
    assert codes == [200] * 20 + [429]


def test_idle_apps_are_forgotten_so_junk_app_ids_do_not_grow_memory() -> None:
    limiter = RateLimiter()
    now = 1_000.0
    for i in range(10_000):
        assert limiter.admit(f"junk-{i}", now, 20)
        now += 0.0001  # 10,000 junk apps within one second
    assert len(limiter) == 10_000
    now += 1.0
    assert limiter.admit("demo-app", now, 20)
    assert len(limiter) == 1


def test_an_app_that_keeps_calling_is_remembered_and_still_limited() -> None:
    limiter = RateLimiter()
    now = 1_000.0
    assert [limiter.admit("busy", now, 2) for _ in range(3)] == [True, True, False]
    for i in range(100):
        limiter.admit(f"junk-{i}", now + 0.5, 2)
    assert not limiter.admit("busy", now + 0.9, 2)
    assert limiter.admit("busy", now + 1.0, 2)
