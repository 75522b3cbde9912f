"""The backlog model reproduces the drain time it teaches, and each strategy's trade-off.

Tolerance: the simulated drain time is within 10% of λT/(μ−λ) for outages of 30 s and
more (Poisson arrivals against the formula's steady ones), within 5% from a minute on.
"""

import math

import pytest

from resilience.models import overload
from resilience.models.backlogs import (
    CAPACITY_PER_S,
    FIFO,
    LABELS,
    LIFO,
    OUTAGE,
    RATE_PER_S,
    SPILL,
    STRATEGIES,
    SURGE,
    TTL,
    drain_time_s,
    simulate_backlog,
)


def test_the_drain_time_formula():
    assert drain_time_s(60, 100, 60) == 90
    assert drain_time_s(90, 100, 60) == 540
    assert drain_time_s(100, 100, 60) == math.inf


@pytest.mark.parametrize("outage_s, tolerance", [(30, 0.10), (60, 0.05), (120, 0.05)])
def test_an_outage_backlog_drains_as_the_formula_says(outage_s, tolerance):
    run = simulate_backlog(FIFO, OUTAGE, length_s=outage_s)
    expected = drain_time_s(RATE_PER_S, CAPACITY_PER_S, outage_s)
    assert run.drained_s == pytest.approx(expected, rel=tolerance)


def test_after_a_surge_fifo_serves_stale_work_until_the_backlog_is_gone():
    fifo = simulate_backlog(FIFO, SURGE)
    assert fifo.recovery_s > 60 and fifo.drained_s > 100
    assert sum(fifo.served) >= 0.99 * fifo.sent  # late, but everything is served


@pytest.mark.parametrize("strategy", [LIFO, SPILL])
def test_lifo_and_spill_over_serve_new_work_fresh_at_once(strategy):
    run = simulate_backlog(strategy, SURGE)
    fifo = simulate_backlog(FIFO, SURGE)
    assert run.recovery_s < 5
    assert run.stale_served < fifo.stale_served
    assert sum(run.expired) == 0


def test_ttl_drains_sooner_by_expiring_work():
    run, fifo = simulate_backlog(TTL, SURGE), simulate_backlog(FIFO, SURGE)
    assert run.drained_s < fifo.drained_s and run.recovery_s < fifo.recovery_s
    assert sum(run.expired) > 0
    assert sum(run.served) + sum(run.expired) >= 0.99 * run.sent


def test_spill_over_parks_the_backlog_in_the_low_priority_queue():
    run = simulate_backlog(SPILL, SURGE)
    assert max(run.low_depth) > max(run.main_depth)
    assert max(run.oldest_waiting_s) > 60


def test_strategies_are_lowercase_keys_that_mean_what_the_overload_models_do():
    assert (FIFO, LIFO) == (overload.FIFO, overload.LIFO)
    assert all(key == key.lower() for key in STRATEGIES) and set(LABELS) == set(STRATEGIES)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="unknown strategy"):
        simulate_backlog("random")
    with pytest.raises(ValueError, match="disturbance"):
        simulate_backlog(FIFO, "earthquake")
