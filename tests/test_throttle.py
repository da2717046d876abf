"""The failed-auth throttle counts per presented token and per credential kind, never per address,
and forgets: a flood of distinct wrong tokens cannot grow it without bound."""

from __future__ import annotations

from helper.security import AuthThrottle


def test_limits_per_key_and_a_higher_limit_for_a_kind():
    throttle = AuthThrottle(limit=3, window=60)
    for _ in range(3):
        throttle.fail("dashboard:abc")
    assert throttle.retry_after("dashboard:abc") >= 1
    assert throttle.retry_after("dashboard:other") == 0
    for _ in range(5):
        throttle.fail("dashboard")
    assert throttle.retry_after("dashboard", limit=15) == 0 and throttle.retry_after("dashboard") >= 1


def test_a_flood_of_distinct_tokens_is_bounded():
    throttle = AuthThrottle(limit=10, window=60)
    for n in range(AuthThrottle.MAX_KEYS * 2 + 7):
        throttle.fail(f"extension:{n}")
    assert len(throttle._failures) <= AuthThrottle.MAX_KEYS


def test_expired_keys_are_forgotten_when_room_is_needed():
    throttle = AuthThrottle(limit=2, window=0.01)
    for n in range(AuthThrottle.MAX_KEYS):
        throttle.fail(f"k{n}")
    import time

    time.sleep(0.02)
    throttle.fail("fresh")
    assert list(throttle._failures) == ["fresh"]
