"""The health-check model shows what chapter 5's section on health checks says it shows.

A fleet of 10 hosts (100 requests a second in all) at 90% load, a 10 s spike to 1.5x: deep
checks that queue behind the work take the fleet out of service, host after host, and it
stays out; a shallow check, a check answered first, a balancer that fails open and hosts
that shed load each keep it serving. Tolerances: "serving" is at least 85% of the load sent
answered in time (95% for shedding: the others are still working off the spike's backlog),
"down" under 10% of it, measured over the last third of the run.
"""

import dataclasses

import pytest

from resilience.models import healthchecks as hc
from resilience.models.overload import littles_law

SENT_PER_S = hc.LOAD_FACTOR * hc.FLEET_CAPACITY_PER_S  # 90 requests a second
SPIKE_END_S = hc.SPIKE_START_S + hc.SPIKE_LENGTH_S


def test_the_fleet_and_its_checks_are_an_albs_settings():
    assert hc.HOST_CAPACITY_PER_S == pytest.approx(10)
    assert hc.FLEET_CAPACITY_PER_S == pytest.approx(100)
    assert (hc.PROBE_INTERVAL_S, hc.PROBE_TIMEOUT_S) == (5, 2)  # an ALB's shortest
    assert (hc.UNHEALTHY_AFTER, hc.HEALTHY_AFTER) == (2, 5)  # an ALB's defaults


def test_the_concurrency_limit_comes_from_littles_law():
    """10 requests a second x 1 s: a host admits what it can answer within 1 s."""
    assert hc.CONCURRENCY_LIMIT == littles_law(10, 1.0) == 10


@pytest.mark.parametrize("check", hc.CHECKS)
def test_without_a_spike_no_check_takes_a_host_out(check):
    """At 90% load the deep probe still passes: the cascade needs a trigger."""
    run = hc.simulate_health(check, spike_factor=1.0)
    assert run.fewest_routed == hc.HOSTS and run.probes_failed == 0
    assert run.settled_goodput >= 0.95 * SENT_PER_S


def test_deep_checks_take_the_whole_fleet_out_after_a_spike():
    run = hc.simulate_health(hc.DEEP)
    assert run.rate(run.good, 5, hc.SPIKE_START_S) >= 0.9 * SENT_PER_S  # fine before
    assert run.fewest_routed == 0
    assert sum(run.unrouted) > 0  # the balancer had no host to send requests to
    assert run.settled_goodput < 0.1 * SENT_PER_S  # and long after the spike, still down


def test_the_deep_cascade_takes_hosts_out_one_after_another():
    """Not all at once: each host out overloads the others, which then fail in turn."""
    run = hc.simulate_health(hc.DEEP)
    first_out = next(s for s, hosts in enumerate(run.routed) if hosts < hc.HOSTS)
    all_out = run.routed.index(0)
    assert first_out >= hc.SPIKE_START_S
    assert all_out > first_out
    assert len(set(run.routed[first_out:all_out])) >= 4  # several steps down, not one


def test_hosts_that_come_back_are_swamped_and_go_out_again():
    """A host back in service gets the whole load, fails its probes and leaves again: the
    fleet does not recover although nothing is wrong with any host."""
    run = hc.simulate_health(hc.DEEP)
    after = run.routed[run.routed.index(0):]
    back = next(s for s, hosts in enumerate(after) if hosts > 0)
    assert 0 in after[back:]


@pytest.mark.parametrize("check", [hc.SHALLOW, hc.FIRST, hc.SHEDDING])
def test_checks_that_load_cannot_fail_keep_every_host_in_service(check):
    run = hc.simulate_health(check)
    assert run.fewest_routed == hc.HOSTS and run.probes_failed == 0
    assert sum(run.unrouted) == 0
    assert run.settled_goodput >= 0.85 * SENT_PER_S


def test_shedding_keeps_goodput_up_even_during_the_spike():
    """A short queue serves what it admits in time; a long one serves it late."""
    shedding, shallow = hc.simulate_health(hc.SHEDDING), hc.simulate_health(hc.SHALLOW)
    assert sum(shedding.shed) > 0
    assert shedding.settled_goodput >= 0.95 * SENT_PER_S
    after_spike = (SPIKE_END_S, SPIKE_END_S + 30)
    assert shedding.rate(shedding.good, *after_spike) > 1.2 * shallow.rate(shallow.good,
                                                                            *after_spike)


def test_failing_open_keeps_the_fleet_serving():
    run = hc.simulate_health(hc.FAIL_OPEN)
    assert min(run.healthy) < hc.MIN_HEALTHY  # the checks failed...
    assert run.fewest_routed == hc.MIN_HEALTHY  # ...but traffic never went to fewer hosts
    assert sum(run.unrouted) == 0
    assert run.settled_goodput >= 0.6 * SENT_PER_S
    assert run.settled_goodput > 5 * hc.simulate_health(hc.DEEP).settled_goodput


def test_an_albs_default_fail_open_leaves_one_host_with_everything():
    """Failing open only when no host is healthy: the first host back gets all the load."""
    run = hc.simulate_health(hc.FAIL_OPEN, min_healthy=hc.ALB_MIN_HEALTHY)
    assert run.fewest_routed == 1
    assert sum(run.unrouted) == 0
    assert run.settled_goodput < 0.2 * SENT_PER_S


def test_past_capacity_only_shedding_keeps_goodput():
    """At 110% of capacity, hosts in service are not enough: a host that queues everything
    answers everything late."""
    shallow = hc.simulate_health(hc.SHALLOW, load_factor=1.1, spike_factor=1.0)
    shedding = hc.simulate_health(hc.SHEDDING, load_factor=1.1, spike_factor=1.0)
    assert shallow.fewest_routed == hc.HOSTS
    assert shallow.settled_goodput < 0.05 * hc.FLEET_CAPACITY_PER_S
    assert shedding.settled_goodput >= 0.9 * hc.FLEET_CAPACITY_PER_S


def test_a_run_is_deterministic_cached_and_frozen():
    run = hc.simulate_health(hc.DEEP)
    assert hc.simulate_health(hc.DEEP) is run
    assert hc.simulate_health.__wrapped__(hc.DEEP) == run  # the same again, uncached
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.check = hc.SHALLOW  # type: ignore[misc]


def test_every_request_is_accounted_for_at_most_once():
    for check in hc.CHECKS:
        run = hc.simulate_health(check)
        settled = sum(map(sum, (run.good, run.late, run.shed, run.unrouted)))
        assert settled <= sum(run.offered)


def test_an_unknown_check_is_refused_clearly():
    with pytest.raises(ValueError, match="check must be one of deep, shallow"):
        hc.simulate_health("liveness")
