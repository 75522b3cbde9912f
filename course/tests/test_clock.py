"""Simulated time: sleeping moves the clock at once and is remembered."""

import pytest

from resilience.clock import SimClock, make_rng


def test_sleep_advances_and_records():
    clock = SimClock(start_s=10)
    clock.sleep(1.5)
    clock.advance(0.5)
    assert clock() == clock.now() == 12.0
    assert clock.sleeps == [1.5] and clock.slept_s == 1.5


def test_negative_waits_are_refused():
    with pytest.raises(ValueError):
        SimClock().sleep(-1)
    with pytest.raises(ValueError):
        SimClock().advance(-1)


def test_seeded_rng_repeats():
    assert make_rng(3).random() == make_rng(3).random()
