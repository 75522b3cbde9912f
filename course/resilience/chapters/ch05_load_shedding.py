"""Chapter 5's scenarios on the overload models: the goodput curve and the spike.

``goodput_curve`` offers a server a range of loads, from half its capacity to three times
it, and measures throughput and goodput once each run has settled. ``spike_story`` is the
metastable failure of Bronson et al. (HotOS 2021): a server at 60% load whose clients time
out after 1 s and retry, a short spike, and what is left after it ends.

Each ``POLICIES`` entry is one way to protect the server, under a short key; ``LABELS`` gives
the words the widgets show for it. ``RETRY_STYLES`` and ``RETRY_LABELS`` do the same for how
the clients retry: at once, after an exponential backoff with full jitter, within a retry
budget, or both. Both functions are deterministic and cached, so a widget redraws at once
when a setting comes back; their results are frozen, as every caller shares them.

``draw_bulkheads`` and ``bulkhead_explorer`` show dependency isolation
(``resilience.models.bulkheads``): two APIs share a pool of workers, one API's dependency
slows down, and the layout of the pool decides whether the other API notices.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from resilience.models import bulkheads, healthchecks
from resilience.models.overload import (
    LIFO,
    Clients,
    Result,
    Server,
    exponential_backoff,
    shed_past_deadline,
    simulate,
    spike,
    steady,
)
from resilience.ui.explorers import WIDE, explorer
from resilience.ui.figures import BAD, GOOD, INFO, NEUTRAL, WARN, new_figure, style
from resilience.ui.progress import steps

CAPACITY_PER_S = Server().capacity_per_s  # 10 workers x 100 ms: 100 requests a second
LOAD_FACTORS = (0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 2.5, 3.0)
CURVE_RUN_S = 40  # each point of the curve: 40 s of traffic...
SETTLED_S = 20  # ...measured over its second half, once queues have built up
CONCURRENCY_LIMIT = 20  # requests in the server at once: 10 at work, 10 waiting
SPIKE_BASE_PER_S = 60.0  # 60% of capacity
SPIKE_BASE_LOADS = (30, 40, 50, 60, 70, 80, 90)  # the widget's base loads (requests/s)
SPIKE_START_S = 20
SPIKE_RUN_S = 90
BACKOFF_BASE_S = 1.0  # backoff with full jitter: up to 1 s before the first retry,
BACKOFF_CAP_S = 20.0  # doubling with each retry, never more than 20 s
RETRY_BUDGET_SHARE = 0.1  # a retry budget: retries up to about 10% of first tries
BULKHEAD_SETTLE_S = 5.0  # a bulkhead run is judged from 5 s after the dependency slows
SLOW_LATENCIES_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0)  # the widget's slow dependency
HEADROOMS = (1.0, 1.25, 1.5, 2.0)  # the widget's bulkhead headroom (2 fills the pool)


def limit_concurrency(limit: int = CONCURRENCY_LIMIT):
    """An admission policy: refuse a request once ``limit`` are in the server."""

    def admit(request, server) -> bool:
        return server.in_service + server.queued < limit

    return admit


# key -> the simulate() settings it stands for (besides load and clients)
POLICIES = {
    "none": {},
    "limit": {"admit": limit_concurrency()},
    "deadline": {"shed": shed_past_deadline},
    LIFO: {"server": Server(queue=LIFO)},
}
LABELS = {"none": "none (FIFO, no limit)", "limit": "concurrency limit",
          "deadline": "drop past deadline", LIFO: "LIFO"}

# key -> the Clients settings it stands for (besides the timeout and the retries)
_BACKOFF: dict[str, Any] = {"backoff_s": exponential_backoff(BACKOFF_BASE_S, BACKOFF_CAP_S),
                            "jitter": True}
RETRY_STYLES: dict[str, dict[str, Any]] = {
    "at once": {},
    "backoff": _BACKOFF,
    "budget": {"retry_budget": RETRY_BUDGET_SHARE},
    "budget+backoff": {"retry_budget": RETRY_BUDGET_SHARE, **_BACKOFF},
}
RETRY_LABELS = {"at once": "at once", "backoff": "backoff with full jitter",
                "budget": "retry budget (10%)", "budget+backoff": "budget and backoff"}


@lru_cache(maxsize=256)
def goodput_curve(policy: str = "none", timeout_s: float = 1.0,
                  retries: int = 3) -> tuple[tuple[float, Result], ...]:
    """(offered rate of first tries, the run) for each of ``LOAD_FACTORS`` x capacity."""
    clients = Clients(timeout_s=timeout_s, retries=retries)
    return tuple((factor * CAPACITY_PER_S,
                  simulate(steady(factor * CAPACITY_PER_S, CURVE_RUN_S), clients=clients,
                           **POLICIES[policy]))
                 for factor in steps(LOAD_FACTORS, "offered loads simulated"))


@lru_cache(maxsize=256)
def spike_story(policy: str = "none", retries: int = 3,
                factor: float = 2.0, length_s: int = 10, timeout_s: float = 1.0,
                base_per_s: float = SPIKE_BASE_PER_S, retry_style: str = "at once") -> Result:
    """A server at ``base_per_s`` (60% of its capacity by default), a spike of ``factor`` x
    that load for ``length_s`` seconds at 20 s, and 90 s in all; clients retry
    ``retries`` times in ``retry_style``."""
    load = spike(base_per_s, factor, SPIKE_START_S, length_s, SPIKE_RUN_S)
    clients = Clients(timeout_s=timeout_s, retries=retries, **RETRY_STYLES[retry_style])
    return simulate(load, clients=clients, **POLICIES[policy])


# The figures: plain functions that draw on the axes they are given.

def plot_goodput_curve(ax, curve, capacity_per_s: float, settled_s: float) -> None:
    """Throughput and goodput against the load offered: the collapse past capacity."""
    offered = [rate for rate, _ in curve]
    throughput = [run.rate(run.completed, settled_s) for _, run in curve]
    goodput = [run.rate(run.good, settled_s) for _, run in curve]
    ax.plot(offered, offered, color=NEUTRAL, linestyle=":", label="offered (first tries)")
    ax.axhline(capacity_per_s, color=INFO, linewidth=0.8, linestyle="--", label="capacity")
    ax.plot(offered, throughput, color=WARN, marker="o", markersize=3, label="throughput")
    ax.plot(offered, goodput, color=GOOD, marker="o", markersize=3, label="goodput")
    ax.set_ylim(0, capacity_per_s * 1.6)
    ax.legend(loc="upper left")
    style(ax, f"Goodput at 2x capacity: {goodput[offered.index(2 * capacity_per_s)]:.0f} "
          f"requests/s", "offered load (requests/s)", "requests/s")


def plot_spike_story(ax, run, spike_start_s: float, spike_length_s: float,
                     base_per_s: float = SPIKE_BASE_PER_S,
                     capacity_per_s: float = CAPACITY_PER_S) -> None:
    """Offered load, throughput and goodput second by second, through a spike and after;
    the title compares the goodput left at the end with the load the users send."""
    seconds = range(len(run.good))
    ax.axvspan(spike_start_s, spike_start_s + spike_length_s, color=WARN, alpha=0.15,
               label="the spike")
    ax.axhline(capacity_per_s, color=INFO, linewidth=0.8, linestyle="--", label="capacity")
    ax.plot(seconds, run.offered, color=NEUTRAL, label="offered (with retries)")
    ax.plot(seconds, run.completed, color=WARN, label="throughput")
    ax.plot(seconds, run.good, color=GOOD, label="goodput")
    ax.set_ylim(0, max(260, max(run.offered) * 1.05))
    ax.legend(loc="upper right")
    after = run.rate(run.good, len(run.good) - 30)
    verdict = "recovered" if after >= 0.9 * base_per_s else "not recovered"
    style(ax, f"Goodput over the last 30 s: {after:.0f} requests/s, of {base_per_s:.0f} "
              f"sent ({verdict})", "time (s)", "requests/s")


def plot_bulkheads(axes, run, layout: str) -> None:
    """Left: the percentage of each API's requests answered in time, by the second they were
    sent. Right: the workers each API holds, against the pool. The time search's dependency
    is slow is shaded; the titles say what each API got once the run settled."""
    answered, held = axes
    seconds = range(len(run.queued))
    settled_s = run.slow_from_s + BULKHEAD_SETTLE_S
    for ax in axes:
        ax.axvspan(run.slow_from_s, run.duration_s, color=WARN, alpha=0.12,
                   label="search's dependency slow")
    for api, colour in ((bulkheads.CHECKOUT, GOOD), (bulkheads.SEARCH, WARN)):
        sent, good = run.sent[api], run.good[api]
        answered.plot(seconds, [100 * g / n if n else 0.0
                                for g, n in zip(good, sent, strict=True)],
                      color=colour, label=api)
        held.plot(seconds, run.busy[api], color=colour, label=api)
    held.axhline(run.workers, color=INFO, linestyle="--", linewidth=0.8, label="workers")
    answered.set_ylim(0, 105)
    held.set_ylim(0, run.workers * 1.15)
    answered.legend(loc="center left")
    held.legend(loc="center left")
    checkout = run.goodput_share(bulkheads.CHECKOUT, settled_s)
    style(answered, f"{bulkheads.LABELS[layout]}: checkout answers "
          f"{checkout:.0%} in time", "time (s)", "answered in time (%)")
    queued = max(run.queued)
    style(held, f"Search holds {run.mean_busy(bulkheads.SEARCH, settled_s):.0f} of "
          f"{run.workers} workers; queue up to {queued:.0f}", "time (s)", "workers held")


# The widgets: a drawing function with keyword defaults, and its controls.

def draw_goodput_curve(policy="none", timeout_s=1.0, retries=3):
    """Throughput and goodput against offered load, under one protection policy."""
    curve = goodput_curve(policy, timeout_s, retries)
    figure, ax = new_figure(
        7, 3.6, "Goodput is what clients get: unprotected, it collapses past capacity while "
                "throughput holds.",
        left=0.1, right=0.97, top=0.9, bottom=0.14)
    plot_goodput_curve(ax, curve, CAPACITY_PER_S, SETTLED_S)
    return figure


def draw_spike_story(policy="none", retry_style="at once", retries=3,
                     base_per_s=SPIKE_BASE_PER_S, factor=2.0, length_s=10):
    """A spike and its aftermath, under one protection, one way of retrying and one base
    load (60% of capacity by default)."""
    run = spike_story(policy, retries, factor, length_s, base_per_s=base_per_s,
                      retry_style=retry_style)
    figure, ax = new_figure(
        10, 3.4, "After the spike (shaded), watch whether goodput returns to the load offered or "
                 "retries keep the server swamped.",
        left=0.07, right=0.98, top=0.88, bottom=0.15)
    plot_spike_story(ax, run, SPIKE_START_S, length_s, base_per_s)
    return figure


def _policy_control(w):
    return w.Dropdown(options=[(LABELS[policy], policy) for policy in POLICIES], value="none",
                      description="protection", style=WIDE)


def goodput_explorer():
    """Protection policy, client timeout and retries against the goodput curve."""
    import ipywidgets as w

    return explorer(
        w, draw_goodput_curve,
        policy=_policy_control(w),
        timeout_s=w.SelectionSlider(options=[0.25, 0.5, 1.0, 2.0, 5.0], value=1.0,
                                    description="client timeout (s)", style=WIDE),
        retries=w.IntSlider(value=3, min=0, max=5, description="retries", style=WIDE),
    )


def spike_explorer():
    """Protection policy, how clients retry, the base load and the spike's size against the
    metastable failure."""
    import ipywidgets as w

    return explorer(
        w, draw_spike_story,
        policy=_policy_control(w),
        retry_style=w.Dropdown(options=[(RETRY_LABELS[key], key) for key in RETRY_STYLES],
                               value="at once", description="clients retry", style=WIDE),
        retries=w.IntSlider(value=3, min=0, max=5, description="retries", style=WIDE),
        base_per_s=w.SelectionSlider(options=SPIKE_BASE_LOADS, value=int(SPIKE_BASE_PER_S),
                                     description="base load (requests/s)", style=WIDE),
        factor=w.SelectionSlider(options=[1.2, 1.5, 2.0, 3.0], value=2.0,
                                 description="spike (x load)", style=WIDE),
        length_s=w.SelectionSlider(options=[1, 2, 5, 10, 20], value=10,
                                   description="spike length (s)", style=WIDE),
    )


def draw_bulkheads(layout=bulkheads.SHARED, slow_latency_s=bulkheads.SLOW_LATENCY_S,
                   headroom=bulkheads.HEADROOM):
    """Two APIs share 20 workers and search's dependency slows at 10 s, under one layout of
    the pool."""
    run = bulkheads.bulkhead_run(layout, slow_latency_s, headroom)
    figure, axes = new_figure(
        11, 3.4, "When search's dependency slows (shaded), does checkout still get workers?",
        left=0.06, right=0.98, top=0.88, bottom=0.15, wspace=0.25, ncols=2)
    plot_bulkheads(axes, run, layout)
    return figure


def bulkhead_explorer():
    """The pool's layout, how slow search's dependency gets, and the bulkheads' headroom."""
    import ipywidgets as w

    return explorer(
        w, draw_bulkheads,
        layout=w.Dropdown(options=[(bulkheads.LABELS[key], key) for key in bulkheads.LAYOUTS],
                          value=bulkheads.SHARED, description="pool layout", style=WIDE),
        slow_latency_s=w.SelectionSlider(options=SLOW_LATENCIES_S,
                                         value=bulkheads.SLOW_LATENCY_S,
                                         description="slow dependency (s)", style=WIDE),
        headroom=w.SelectionSlider(options=HEADROOMS, value=bulkheads.HEADROOM,
                                   description="bulkhead headroom (x)", style=WIDE),
    )


# Health checks that fail under load: a fleet behind a balancer (models.healthchecks).

HEALTH_LOADS = (0.8, 0.9, 1.0, 1.1)  # the widget's steady loads, as shares of capacity
HEALTH_SPIKES = (1.0, 1.25, 1.5, 2.0)  # and its spikes, as multiples of that load


def plot_health_cascade(ax, run) -> None:
    """Second by second, the capacity the balancer keeps in service (hosts in service x
    each host's capacity, shaded) against the load offered, and what became of it: answered
    in time, answered too late, or refused at once."""
    seconds = range(run.duration_s)
    refused = [a + b for a, b in zip(run.unrouted, run.shed, strict=True)]
    if run.spike_factor > 1:
        ax.axvspan(healthchecks.SPIKE_START_S,
                   healthchecks.SPIKE_START_S + healthchecks.SPIKE_LENGTH_S, color=WARN,
                   alpha=0.15, label="the spike")
    ax.fill_between(seconds, [hosts * healthchecks.HOST_CAPACITY_PER_S for hosts in run.routed],
                    step="post", color=INFO, alpha=0.2, linewidth=0,
                    label="capacity in service")
    ax.plot(seconds, run.offered, color=NEUTRAL, label="offered")
    ax.plot(seconds, run.good, color=GOOD, label="goodput")
    ax.plot(seconds, run.late, color=WARN, label="answered too late")
    ax.plot(seconds, refused, color=BAD, label="refused (503)")
    ax.set_ylim(0, run.capacity_per_s * 1.9)
    ax.legend(loc="upper right", ncols=3)
    style(ax, f"{healthchecks.LABELS[run.check]}: {run.fewest_routed} of {run.hosts} hosts "
              f"in service at worst; goodput at the end "
              f"{run.settled_goodput:.0f}/s of {run.load_factor * run.capacity_per_s:.0f}/s "
              "sent", "time (s)", "requests/s")


def draw_health_cascade(check=healthchecks.DEEP, load=healthchecks.LOAD_FACTOR,
                        spike_factor=healthchecks.SPIKE_FACTOR,
                        min_healthy=healthchecks.MIN_HEALTHY):
    """A fleet of 10 hosts through a spike, under one kind of health check, at ``load`` x
    its capacity; ``min_healthy``: below it, a balancer that fails open uses every host."""
    run = healthchecks.simulate_health(check, load, spike_factor, min_healthy)
    figure, ax = new_figure(
        10, 3.4, "Shaded: the capacity the balancer keeps in service. Watch whether it stays "
                 "above the load offered.",
        left=0.07, right=0.98, top=0.88, bottom=0.15)
    plot_health_cascade(ax, run)
    return figure


def health_check_explorer():
    """The kind of health check, the load, the spike and when the balancer fails open,
    against the hosts in service and the goodput."""
    import ipywidgets as w

    return explorer(
        w, draw_health_cascade,
        check=w.Dropdown(options=[(healthchecks.LABELS[key], key) for key in healthchecks.CHECKS],
                         value=healthchecks.DEEP, description="health check", style=WIDE),
        load=w.SelectionSlider(options=HEALTH_LOADS, value=healthchecks.LOAD_FACTOR,
                               description="load (x capacity)", style=WIDE),
        spike_factor=w.SelectionSlider(options=HEALTH_SPIKES, value=healthchecks.SPIKE_FACTOR,
                                       description="spike (x load)", style=WIDE),
        min_healthy=w.IntSlider(value=healthchecks.MIN_HEALTHY, min=1, max=healthchecks.HOSTS,
                                description="fail open below (healthy hosts)", style=WIDE),
    )
