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


def test_timeline_runs_actions_in_time_order_and_moves_the_clock():
    from resilience.clock import Timeline

    clock, ran = SimClock(), []
    timeline = Timeline(clock)
    timeline.at(5, lambda: ran.append(("b", clock.now())))
    timeline.at(1, lambda: ran.append(("a", clock.now())))
    timeline.run(until_s=10)
    assert ran == [("a", 1), ("b", 5)] and clock.now() == 10


def test_quiet_actions_do_not_wake_sleepers_but_activity_does():
    from resilience.clock import Timeline

    clock, woken = SimClock(), []
    timeline = Timeline(clock)
    timeline.at(0, lambda: timeline.when_active(lambda: woken.append("a")))
    timeline.at(1, lambda: timeline.when_active(lambda: woken.append("b")))  # idle: no wake
    timeline.at(2, lambda: None)  # activity
    timeline.run()
    assert woken == ["a", "b"]
