"""The simulations reproduce the published results they teach."""

import pytest

from resilience.clock import SimClock
from resilience.models import amplification, jitter
from resilience.models.retrybudget import RetryBudget
from resilience.models.tokenbucket import TokenBucket

REPRODUCTION_TOLERANCE = 0.15  # the bar: within 15% of the published figures
RUNS = 40


@pytest.fixture(scope="module")
def at_100_clients():
    return {s: jitter.average(s, 100, runs=RUNS) for s in jitter.STRATEGIES}


@pytest.mark.parametrize("strategy", jitter.STRATEGIES)
def test_jitter_experiment_matches_the_published_figures(at_100_clients, strategy):
    calls, time_ms = jitter.PUBLISHED_AT_100_CLIENTS[strategy]
    result = at_100_clients[strategy]
    assert result.calls == pytest.approx(calls, rel=REPRODUCTION_TOLERANCE)
    assert result.completion_ms == pytest.approx(time_ms, rel=REPRODUCTION_TOLERANCE)


def test_jitter_experiment_reproduces_the_ranking(at_100_clients):
    calls = {s: r.calls for s, r in at_100_clients.items()}
    times = {s: r.completion_ms for s, r in at_100_clients.items()}
    assert min(calls, key=calls.get) == "full"
    assert calls["none"] > calls["exponential"] > calls["decorrelated"] > calls["equal"]
    assert max(times, key=times.get) == "exponential"
    assert min(times, key=times.get) == "none"


def test_simulation_is_deterministic_and_traces_one_client():
    one = jitter.simulate("full", 20, seed=5)
    two = jitter.simulate("full", 20, seed=5)
    assert (one.calls, one.completion_ms) == (two.calls, two.completion_ms)
    assert one.traced_writes[-1][1] == "ok"
    assert len(one.traced_backoffs_ms) == len(one.traced_writes) - 1


def test_unknown_strategy_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown strategy"):
        jitter.simulate("sometimes", 10)


def test_retries_multiply_through_layers():
    assert amplification.expected_calls_per_layer(5, 3, 1.0)[-1] == 243
    simulated = amplification.simulate_calls_per_layer(5, 3, 1.0, budget=False, requests=10)
    assert simulated[-1] == 243


def test_a_retry_budget_keeps_the_multiplier_near_one():
    with_budget = amplification.calls_per_layer(5, 3, 1.0, budget=True)
    assert with_budget[-1] < 2
    healthy = amplification.calls_per_layer(5, 3, 0.0, budget=True)
    assert healthy == [1.0] * 6


def test_token_bucket_refills_with_time_up_to_capacity():
    clock = SimClock()
    bucket = TokenBucket(capacity=2, refill_per_s=1, clock=clock)
    assert [bucket.try_spend() for _ in range(3)] == [True, True, False]
    clock.advance(0.5)
    assert not bucket.try_spend()
    clock.advance(100)
    assert bucket.tokens == 2


def test_timeouts_fail_on_both_sides_and_work_in_between():
    """Too short: records fail and calls multiply; too long: the pool starves, data is lost."""
    from resilience.models import timeouts

    short, good, long = (timeouts.simulate(t, retries=2) for t in (0.02, 0.6, 60.0))
    assert short.share(short.failed) > 0.5 and short.calls_per_record > 2
    assert good.share(good.completed) > 0.99 and good.lost == 0
    assert long.share(long.lost) > 0.3 and long.exhausted_share > 0.5
    assert timeouts.simulate(0.6, retries=2) == good  # seeded: the same run every time


def test_percentile_is_nearest_rank():
    from resilience.models.stats import percentile

    assert percentile(list(range(1, 1001)), 0.999) == 999
    assert percentile([5.0, 1.0, 3.0], 0.5) == 3.0


def test_a_burst_lands_only_with_backoff():
    from resilience.models import bursts

    results = bursts.compare(records=10_000, shard_count=2)
    assert results["ignore"].lost > 5000 and results["ignore"].calls == 20
    assert results["immediate"].lost > 0
    assert results["backoff"].lost == 0 and results["backoff"].accepted == 10_000
    assert results["immediate"].rejected_sends > results["backoff"].rejected_sends


def test_each_layers_retries_stay_a_share_of_its_calls():
    """Requests earn the budget's tokens, so a layer's retries are at most a tenth of the
    calls into it (plus the full budget's first burst), whatever the traffic's rate."""
    calls = amplification.calls_per_layer(5, 3, 1.0, budget=True)
    burst = (amplification.BUDGET_CAPACITY_TOKENS / amplification.BUDGET_RETRY_COST_TOKENS
             / amplification.REQUESTS)
    for into_layer, below in zip(calls, calls[1:], strict=False):
        retries = below - into_layer
        assert 0 < retries <= into_layer / amplification.BUDGET_RETRY_COST_TOKENS + burst


def test_a_share_budget_counts_whole_tokens():
    """Ten requests pay for one retry of cost 10 exactly: no floating-point drift."""
    budget = RetryBudget(capacity=10, retry_cost=10)
    assert budget.try_spend() and not budget.try_spend()
    for _ in range(9):
        budget.deposit()
    assert not budget.try_spend()
    budget.deposit()
    assert budget.try_spend()
    for _ in range(50):
        budget.deposit()
    assert budget.tokens == 10
