"""Chapter 2, retries: the backoff-and-jitter experiment (``resilience.models.jitter``),
retries amplified through layers (``resilience.models.amplification``), with their
explorers, and backoff in open and closed systems (``resilience.models.overload`` against
``overload.closed_loop``)."""

from __future__ import annotations

from functools import lru_cache

from resilience.clock import DEFAULT_SEED
from resilience.models import amplification, jitter, overload
from resilience.models.jitter import LABELS, PUBLISHED_AT_100_CLIENTS, STRATEGIES, Average, Run
from resilience.ui import progress
from resilience.ui.explorers import explorer, figure_widget
from resilience.ui.figures import BAD, GOOD, INFO, NEUTRAL, WARN, log_scale, new_figure, style

# The figures: plain functions that draw on the axes they are given.

COLOURS = dict(zip(STRATEGIES, (NEUTRAL, BAD, WARN, GOOD, INFO), strict=True))


def plot_jitter_sweep(ax_calls, ax_time, results: dict[str, list[Average]],
                      published: bool = True) -> None:
    """Work (write calls) and completion time against the number of clients."""
    for strategy, averages in results.items():
        clients = [a.clients for a in averages]
        kwargs = {"color": COLOURS[strategy], "label": LABELS[strategy], "marker": "o",
                  "markersize": 3}
        ax_calls.plot(clients, [a.calls for a in averages], **kwargs)
        ax_time.plot(clients, [a.completion_ms / 1000 for a in averages], **kwargs)
        if published and strategy in PUBLISHED_AT_100_CLIENTS:
            calls, time_ms = PUBLISHED_AT_100_CLIENTS[strategy]
            ax_calls.plot([100], [calls], marker="x", color=COLOURS[strategy], markersize=8)
            ax_time.plot([100], [time_ms / 1000], marker="x", color=COLOURS[strategy],
                         markersize=8)
    style(ax_calls, "Work: write calls until every client succeeded (x = published)",
          "clients", "write calls")
    style(ax_time, "Time until the last client succeeded", "clients", "time (s, log scale)")
    log_scale(ax_time.yaxis)
    ax_calls.legend()


def plot_client_timeline(ax, run: Run) -> None:
    """One client's story: each write (red = conflict, green = success) and its waits."""
    for wanted, marker, colour in (("fail", "x", BAD), ("ok", "o", GOOD)):
        times_s = [t / 1000 for t, outcome in run.traced_writes if outcome == wanted]
        ax.plot(times_s, [0] * len(times_s), linestyle="", marker=marker, markersize=9,
                color=colour)
    ax.set_yticks([])
    writes = len(run.traced_writes)
    waited_s = sum(run.traced_backoffs_ms) / 1000
    style(ax, f"One client under {LABELS[run.strategy]} with {run.clients} clients: "
          f"{writes} writes, {waited_s:.2f} s waiting", "time (s)", "")


def plot_amplification(ax, without_budget: list[float], with_budget: list[float]) -> None:
    """Calls reaching each layer per user request, with and without a retry budget."""
    layers = range(len(without_budget))
    width = 0.4
    ax.bar([x - width / 2 for x in layers], without_budget, width, color=BAD,
           label="retries, no budget")
    ax.bar([x + width / 2 for x in layers], with_budget, width, color=GOOD,
           label="retries with a budget per layer")
    for x, value in zip(layers, without_budget, strict=True):
        ax.annotate(f"{value:.3g}", (x - width / 2, value), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(layers), ["user"] + [f"layer {i}" for i in layers[1:-1]]
                  + ["dependency"])
    log_scale(ax.yaxis)
    style(ax, "Calls reaching each layer for one user request", "layer of the stack",
          "calls (log scale)")
    ax.legend()


# The widgets: a drawing function with keyword defaults, and its controls.

CLIENT_COUNTS = tuple(range(10, 101, 10))

WIDGET_RUNS = 5  # runs averaged per point: enough to show the shape, quick to recompute


@lru_cache(maxsize=1024)
def _average(strategy: str, clients: int, base_ms: float, cap_ms: float) -> jitter.Average:
    return jitter.average(strategy, clients, runs=WIDGET_RUNS, base_ms=base_ms, cap_ms=cap_ms)

DEFAULT_STRATEGIES = ("exponential", "equal", "full", "decorrelated")


def _chosen(strategies) -> list[str]:
    return [s for s in jitter.STRATEGIES if s in strategies] or ["full"]


def draw_jitter_sweep(strategies=DEFAULT_STRATEGIES, base_ms=5.0, cap_ms=2000.0):
    """Write calls and completion time against the number of clients, per strategy."""
    chosen = _chosen(strategies)
    points = [(s, n) for s in chosen for n in CLIENT_COUNTS]
    averages = iter([_average(s, n, base_ms, cap_ms)
                     for s, n in progress.steps(points, "points of the sweep simulated")])
    results = {s: [next(averages) for _ in CLIENT_COUNTS] for s in chosen}
    figure, (ax_calls, ax_time) = new_figure(
        10, 3.8, "Compare the work: the more a strategy spreads retries out, the fewer writes "
                 "collide and the fewer calls it takes.",
        left=0.07, right=0.98, top=0.92, bottom=0.12, wspace=0.2, ncols=2)
    plot_jitter_sweep(ax_calls, ax_time, results,
                            published=(base_ms, cap_ms) == (jitter.BASE_MS, jitter.CAP_MS))
    return figure


def draw_jitter_timeline(strategies=DEFAULT_STRATEGIES, clients=100, base_ms=5.0,
                         cap_ms=2000.0):
    """One client's writes and waits, under the last chosen strategy."""
    run = jitter.simulate(_chosen(strategies)[-1], clients, base_ms=base_ms, cap_ms=cap_ms,
                          seed=DEFAULT_SEED)
    figure, ax = new_figure(
        10, 1.8, "One client's writes: crosses lost to another client, a circle succeeded; the "
                 "gaps are the waits its strategy chose.",
        left=0.07, right=0.98, top=0.8, bottom=0.3)
    plot_client_timeline(ax, run)
    return figure


def jitter_explorer():
    """Pick strategies, clients, base and cap; watch the work and the time redraw.

    Two outputs: moving the clients slider redraws only the one-client timeline, so it
    stays live; the sweep redraws when the strategies, base or cap change."""
    import ipywidgets as w

    controls = {
        "strategies": w.SelectMultiple(
            options=[(jitter.LABELS[s], s) for s in jitter.STRATEGIES],
            value=DEFAULT_STRATEGIES, description="strategies", rows=5),
        "clients": w.IntSlider(value=100, min=10, max=100, step=10, description="clients"),
        "base_ms": w.FloatLogSlider(value=5.0, base=10, min=0, max=2, description="base (ms)",
                                    continuous_update=False),
        "cap_ms": w.FloatLogSlider(value=2000.0, base=10, min=2, max=4, description="cap (ms)",
                                   continuous_update=False),
    }
    sweep_controls = {k: controls[k] for k in ("strategies", "base_ms", "cap_ms")}
    return w.VBox([w.HBox([controls["strategies"],
                           w.VBox([controls["clients"], controls["base_ms"],
                                   controls["cap_ms"]])]),
                   figure_widget(w, draw_jitter_sweep, sweep_controls),
                   figure_widget(w, draw_jitter_timeline, controls)])


def draw_amplification(layers=5, attempts=3, failure_rate=1.0):
    """Calls reaching every layer of a stack per user request, with and without budgets."""
    without = amplification.calls_per_layer(layers, attempts, failure_rate, budget=False)
    with_budget = amplification.calls_per_layer(layers, attempts, failure_rate, budget=True)
    figure, ax = new_figure(
        9, 4, "With failures below, each layer's retries multiply the calls under it; a retry "
              "budget per layer caps them.",
        left=0.09, right=0.98, top=0.92, bottom=0.1)
    plot_amplification(ax, without, with_budget)
    return figure


def amplification_explorer():
    """Layers, attempts per layer and the dependency's failure rate, against the load."""
    import ipywidgets as w

    return explorer(
        w, draw_amplification,
        layers=w.IntSlider(value=5, min=1, max=6, description="layers"),
        attempts=w.IntSlider(value=3, min=1, max=5, description="tries/layer"),
        failure_rate=w.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05,
                                   description="failing"),
    )


# Backoff in open and closed systems: the same server, the same trigger, two kinds of client.

OPEN_CLOSED_BASE_PER_S = 60.0  # both systems send 60 requests a second before the trigger
OPEN_RETRIES = 3  # an open system's clients: 3 retries, as in chapter 5
BACKOFF_BASE_S, BACKOFF_CAP_S = 1.0, 20.0  # full jitter, up to 1 s, 2 s, 4 s ... 20 s
SYSTEMS = ("open", "closed")
RETRY_WAYS = ("at once", "backoff")


def open_closed_run(system: str, retry: str, factor: float = overload.CLOSED_SPIKE_FACTOR,
                    length_s: float = overload.CLOSED_SPIKE_LENGTH_S,
                    seed: int = DEFAULT_SEED) -> overload.Result:
    """One run: ``system`` "open" (``overload``: arrivals at 60/s whatever happens, clients
    retry 3 times) or "closed" (``overload.closed_loop``: 400 clients, one request each at a
    time, retrying until answered), clients retrying "at once" or after a "backoff" with
    full jitter. Both see the load times ``factor`` for ``length_s`` from 20 s."""
    if system not in SYSTEMS or retry not in RETRY_WAYS:
        raise ValueError(f"system is one of {SYSTEMS} and retry one of {RETRY_WAYS}")
    backoff = (overload.exponential_backoff(BACKOFF_BASE_S, BACKOFF_CAP_S)
               if retry == "backoff" else None)
    if system == "open":
        load = overload.spike(OPEN_CLOSED_BASE_PER_S, factor, overload.CLOSED_SPIKE_START_S,
                              length_s, overload.CLOSED_RUN_S)
        clients = overload.Clients(retries=OPEN_RETRIES, backoff_s=backoff, jitter=True)
        return overload.simulate(load, clients=clients, seed=seed)
    think_s = overload.CLOSED_CLIENTS / OPEN_CLOSED_BASE_PER_S - overload.SERVICE_S
    return overload.closed_loop(think_s=think_s, backoff_s=backoff,
                              spike=(overload.CLOSED_SPIKE_START_S, length_s, factor), seed=seed)


def settled_goodput(run: overload.Result) -> float:
    """Goodput over the last 30 s of a run (requests/s): what is left once the trigger is
    long gone."""
    return run.rate(run.good, run.duration_s - 30)


def plot_open_closed(ax, run: overload.Result, system: str, retry: str, length_s: float,
                     capacity_per_s: float) -> None:
    """Offered load and goodput, second by second, for one system and one way to retry."""
    seconds = range(len(run.good))
    start_s = overload.CLOSED_SPIKE_START_S
    ax.axvspan(start_s, start_s + length_s, color=WARN, alpha=0.15, label="the trigger")
    ax.axhline(capacity_per_s, color=NEUTRAL, linewidth=0.8, linestyle="--", label="capacity")
    ax.plot(seconds, run.offered, color=INFO, label="offered (with retries)")
    ax.plot(seconds, run.good, color=GOOD, label="goodput")
    ax.set_ylim(0, 420)
    after = settled_goodput(run)
    verdict = "recovered" if after >= 0.9 * OPEN_CLOSED_BASE_PER_S else "stuck"
    style(ax, f"{system}, retries {'at once' if retry == 'at once' else 'with backoff'}: "
              f"{after:.0f}/s good at the end ({verdict})", "time (s)", "requests/s")


def draw_open_closed(factor=overload.CLOSED_SPIKE_FACTOR, length_s=overload.CLOSED_SPIKE_LENGTH_S):
    """Open and closed systems through the same trigger, clients retrying at once or with
    backoff: backoff rescues only the closed one."""
    runs = {(s, r): open_closed_run(s, r, factor, length_s)
            for s, r in progress.steps([(s, r) for s in SYSTEMS for r in RETRY_WAYS],
                                       "systems simulated")}
    figure, axes = new_figure(
        10, 5.2, "Backoff slows each closed-loop client, so the load falls; open-loop arrivals "
                 "keep coming, so the retries only move.",
        left=0.07, right=0.98, top=0.94, bottom=0.09, wspace=0.15, nrows=2, ncols=2,
        gridspec_kw={"hspace": 0.45})
    capacity = overload.Server().capacity_per_s
    for row, system in enumerate(SYSTEMS):
        for column, retry in enumerate(RETRY_WAYS):
            plot_open_closed(axes[row][column], runs[system, retry], system, retry, length_s,
                             capacity)
    axes[0][0].legend(loc="upper right", fontsize=8)
    return figure


def open_closed_explorer():
    """How big and how long a trigger both systems face: find where the closed system stops
    recovering without backoff, and see that the open one never does."""
    import ipywidgets as w

    return explorer(
        w, draw_open_closed,
        factor=w.FloatSlider(value=overload.CLOSED_SPIKE_FACTOR, min=1.0, max=4.0, step=0.25,
                             description="trigger (x)"),
        length_s=w.FloatSlider(value=overload.CLOSED_SPIKE_LENGTH_S, min=1.0, max=30.0,
                               step=1.0, description="for (s)"),
    )
