"""The bulkhead model teaches chapter 5's dependency isolation: in one shared pool a slow
dependency takes every worker and the healthy API's goodput collapses; with a limit per API,
sized with Little's law, the healthy API is untouched and only the slow one sheds.

Each run is measured once it has settled: from 5 s after search's dependency slows to the
end of the arrivals.
"""

import pytest

from resilience.aws.facts import (
    LAMBDA_ACCOUNT_CONCURRENCY,
    LAMBDA_UNRESERVED_MINIMUM,
    MAX_PARALLELIZATION_FACTOR,
)
from resilience.models import bulkheads as b

SETTLED_S = b.SLOW_FROM_S + 5
HEALTHY_SHARE = 0.95  # of checkout's requests answered in time, when isolated
COLLAPSED_SHARE = 0.05  # ...and at most this, in one shared pool


def test_littles_law_sizes_each_api_with_headroom():
    assert b.api_limits(b.RATES_PER_S, b.LATENCIES_S, b.WORKERS) == {b.CHECKOUT: 10,
                                                                      b.SEARCH: 10}
    assert b.little_limit(100, 0.05, 1.0) == 5  # 100/s x 50 ms
    assert b.little_limit(100, 0.05, 2.0) == 10  # not 11: float noise is not a request
    assert b.little_limit(100, 0.05, 1.5) == 8  # 7.5 rounds up
    assert b.little_limit(100, b.SLOW_LATENCY_S, 1.0) == 100  # 20x as many once slow
    with pytest.raises(ValueError, match="cannot isolate"):
        b.api_limits(b.RATES_PER_S, b.LATENCIES_S, b.WORKERS, headroom=3.0)


def test_in_one_shared_pool_the_slow_dependency_takes_every_worker():
    run = b.bulkhead_run(b.SHARED)
    assert run.goodput_share(b.CHECKOUT, 0, b.SLOW_FROM_S) > HEALTHY_SHARE  # fine before
    assert run.goodput_share(b.CHECKOUT, SETTLED_S) < COLLAPSED_SHARE
    # what the workers still finish comes too late: most of what was sent as search slowed
    assert run.share("late", b.CHECKOUT, b.SLOW_FROM_S, SETTLED_S) > 0.5
    assert run.mean_busy(b.SEARCH, SETTLED_S) > 0.9 * b.WORKERS
    assert sum(run.queued[int(SETTLED_S):]) / (b.RUN_S - SETTLED_S) > 1000


def test_one_limit_for_the_whole_pool_does_not_isolate():
    run = b.bulkhead_run(b.ONE_LIMIT)
    assert run.goodput_share(b.CHECKOUT, SETTLED_S) < 0.5
    assert run.share("refused", b.CHECKOUT, SETTLED_S) > 0.5


def test_bulkheads_keep_the_healthy_api_whole_and_shed_only_the_slow_one():
    run = b.bulkhead_run(b.BULKHEADS)
    assert run.goodput_share(b.CHECKOUT, SETTLED_S) > HEALTHY_SHARE
    assert run.share("refused", b.SEARCH, SETTLED_S) > 0.8
    assert run.mean_busy(b.SEARCH, SETTLED_S) <= b.api_limits(
        b.RATES_PER_S, b.LATENCIES_S, b.WORKERS)[b.SEARCH]
    assert max(run.queued) == 0  # limits that fit the pool never queue


def test_without_headroom_a_bulkhead_refuses_its_own_normal_bursts():
    tight = b.bulkhead_run(b.BULKHEADS, headroom=1.0)
    assert tight.share("refused", b.CHECKOUT, 0, b.SLOW_FROM_S) > 0.1


def test_a_policy_sees_its_apis_holdings():
    seen = []

    def spy(call, pool):
        seen.append((call, pool))
        return True

    b.simulate_pool(spy, duration_s=2.0)
    assert {call.api for call, _ in seen} == set(b.APIS)
    assert all(set(pool.held) == set(b.APIS) and pool.now_s == call.sent_s
               and call.deadline_s == call.sent_s + b.CLIENT_TIMEOUT_S for call, pool in seen)
    assert b.within_limits({b.CHECKOUT: 1})(seen[0][0]._replace(api=b.SEARCH), seen[0][1]) \
        is False  # an API without a limit gets no worker


def test_a_run_is_the_same_every_time():
    assert b.simulate_pool(duration_s=5.0) == b.simulate_pool(duration_s=5.0)


def test_a_stream_mapping_runs_shards_times_its_parallelization_factor():
    assert b.stream_concurrency(100) == 100  # the default factor is 1
    assert b.stream_concurrency(100, MAX_PARALLELIZATION_FACTOR) == LAMBDA_ACCOUNT_CONCURRENCY
    with pytest.raises(ValueError):
        b.stream_concurrency(4, MAX_PARALLELIZATION_FACTOR + 1)


def test_reserved_concurrency_guarantees_and_caps_a_function():
    wanted = {"consumer": b.stream_concurrency(100, 10), "checkout": 200}
    unreserved = b.share_account(wanted)
    assert unreserved.throttled["checkout"] > 0  # the stream's consumer crowds it out
    assert sum(unreserved.running.values()) <= LAMBDA_ACCOUNT_CONCURRENCY
    guaranteed = b.share_account(wanted, {"checkout": 200})
    assert guaranteed.throttled["checkout"] == 0
    assert guaranteed.running["consumer"] == LAMBDA_ACCOUNT_CONCURRENCY - 200
    capped = b.share_account(wanted, {"consumer": 500})
    assert capped.running == {"consumer": 500, "checkout": 200}
    assert b.max_reservable() == LAMBDA_ACCOUNT_CONCURRENCY - LAMBDA_UNRESERVED_MINIMUM
    with pytest.raises(ValueError, match="unreserved"):
        b.share_account(wanted, {"consumer": b.max_reservable() + 1})
