"""The test tiers' own logic: which ``-m`` expressions may leave a module of slow tests out."""

from __future__ import annotations

from tests.tiers import selects_slow_tests


def test_a_module_of_slow_tests_is_left_out_only_when_m_drops_every_slow_test() -> None:
    assert not selects_slow_tests("not slow")
    assert not selects_slow_tests("not slow and not subprocess")
    assert not selects_slow_tests("(unit or socket) and not slow")
    assert not selects_slow_tests("slow and not slow")
    assert selects_slow_tests("slow")
    assert selects_slow_tests("unit")
    assert selects_slow_tests("not subprocess")
    assert selects_slow_tests("slow and unit and not socket")
    assert selects_slow_tests("not slow or unit")
    assert selects_slow_tests("slow(reason='x') or php")
    assert not selects_slow_tests("slow(reason='x') and not slow")
