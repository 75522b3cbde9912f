"""Chapter 2's lessons on backoff hold in the models the chapter draws them from.

The chapter states: after the same trigger, an open system (``overload``) stays overloaded
whether its clients retry at once or back off, because backoff moves its retries without
removing any; a closed system (``overload.closed_loop``) stays overloaded when its clients
retry at once and recovers when they back off, because a client that waits sends less. And
jitter spreads periodic work that would otherwise land in the same second.
"""

import pytest

from resilience.chapters import ch02_retries as ch02
from resilience.models import jitter, overload

SEEDS = (2015, 2016, 2017)
BASE = ch02.OPEN_CLOSED_BASE_PER_S


def _run(system, retry, seed):
    return ch02.open_closed_run(system, retry, seed=seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_backoff_does_not_rescue_an_open_system(seed):
    for retry in ch02.RETRY_WAYS:
        run = _run("open", retry, seed)
        assert ch02.settled_goodput(run) < 0.1 * BASE, (
            f"open system, retries {retry}: goodput should stay near 0 after the trigger, "
            f"got {ch02.settled_goodput(run):.0f}/s")
    at_once = _run("open", "at once", seed)
    backoff = _run("open", "backoff", seed)
    late = at_once.duration_s - 30
    offered_at_once = at_once.rate(at_once.offered, late)
    offered_backoff = backoff.rate(backoff.offered, late)
    assert offered_backoff == pytest.approx(offered_at_once, rel=0.1), (
        "in an open system, backoff delays retries but the same work arrives: "
        f"{offered_at_once:.0f}/s offered without it, {offered_backoff:.0f}/s with it")
    # the chapter: "about 240 tries a second (60 new requests, each tried 4 times)"
    tries = ch02.OPEN_RETRIES + 1
    assert offered_backoff == pytest.approx(BASE * tries, rel=0.1)
    assert offered_at_once == pytest.approx(BASE * tries, rel=0.1)


@pytest.mark.parametrize("seed", SEEDS)
def test_backoff_rescues_a_closed_system(seed):
    at_once = _run("closed", "at once", seed)
    backoff = _run("closed", "backoff", seed)
    assert ch02.settled_goodput(at_once) < 0.1 * BASE, (
        "closed clients retrying at once should keep the server swamped after the trigger")
    assert ch02.settled_goodput(backoff) >= 0.9 * BASE, (
        "closed clients that back off send less, so the server should recover, got "
        f"{ch02.settled_goodput(backoff):.0f}/s of {BASE:.0f}")
    late = at_once.duration_s - 30
    # the chapter: retrying at once, "one try each per timeout, 400 a second"
    assert at_once.rate(at_once.offered, late) == pytest.approx(overload.CLOSED_CLIENTS, rel=0.05)
    assert backoff.rate(backoff.offered, late) < 0.5 * at_once.rate(at_once.offered, late)


def test_both_systems_start_at_the_same_load():
    for system in ch02.SYSTEMS:
        run = _run(system, "at once", SEEDS[0])
        before = run.rate(run.offered, 5, overload.CLOSED_SPIKE_START_S)
        assert before == pytest.approx(BASE, rel=0.15), f"{system}: {before:.0f}/s before"


def test_closed_loop_is_seeded_and_bounded_by_its_clients():
    think_s = overload.CLOSED_CLIENTS / BASE - overload.SERVICE_S
    first = overload.closed_loop(think_s=think_s, seed=7)
    assert first == overload.closed_loop(think_s=think_s, seed=7)
    # a closed client has one attempt in flight at a time: at most one per timeout each
    assert max(first.offered) <= overload.CLOSED_CLIENTS * 1.05
    with pytest.raises(ValueError, match="client"):
        overload.closed_loop(clients=0, think_s=1.0)


def test_jitter_spreads_periodic_work():
    on_the_minute = jitter.periodic_load(1000)
    jittered = jitter.periodic_load(1000, jitter_s=60)
    assert sum(on_the_minute) == sum(jittered) == 3000
    assert max(on_the_minute) == 1000
    assert max(jittered) < 50


def test_the_open_closed_explorer_shows_the_tipping_points_the_chapter_names():
    """At 2x for 5 s backoff rescues the open system; at 1.5x for 5 s all four recover."""
    recovered = ch02.OPEN_CLOSED_BASE_PER_S * 0.9

    def settled(system, retry, factor, length_s):
        return ch02.settled_goodput(ch02.open_closed_run(system, retry, factor, length_s))

    assert settled("open", "at once", 2.0, 5.0) < recovered <= settled("open", "backoff", 2.0, 5.0)
    assert all(settled(s, r, 1.5, 5.0) >= recovered
               for s in ch02.SYSTEMS for r in ch02.RETRY_WAYS)
