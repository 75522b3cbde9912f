"""The chapters' interactive figures: a plain function with keyword defaults that draws,
wrapped by ``ipywidgets.interactive``, as in ipywidgets' own examples.

Each ``draw_*`` function returns a figure; ``show_*`` shows it in the notebook (and returns
nothing, so a widget shows it once); each ``*_explorer`` returns the widget. Simulations
behind the figures are cached, so moving a control that does not change the simulation
redraws at once."""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt

from resilience import amplification, jitter, plots
from resilience.clock import DEFAULT_SEED

CLIENT_COUNTS = tuple(range(10, 101, 10))
WIDGET_RUNS = 5  # runs averaged per point: enough to show the shape, quick to recompute


@lru_cache(maxsize=1024)
def _average(strategy: str, clients: int, base_ms: float, cap_ms: float) -> jitter.Average:
    return jitter.average(strategy, clients, runs=WIDGET_RUNS, base_ms=base_ms, cap_ms=cap_ms)


def draw_jitter(strategies=("exponential", "equal", "full", "decorrelated"), clients=100,
                base_ms=5.0, cap_ms=2000.0):
    """Calls and time against clients for the chosen strategies, and one client's retries."""
    strategies = [s for s in jitter.STRATEGIES if s in strategies] or ["full"]
    results = {s: [_average(s, n, base_ms, cap_ms) for n in CLIENT_COUNTS] for s in strategies}
    figure = plt.figure(figsize=(11, 6.5), layout="constrained")
    grid = figure.add_gridspec(2, 2, height_ratios=(3, 1.2))
    ax_calls, ax_time = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
    plots.plot_jitter_sweep(ax_calls, ax_time, results,
                            published=(base_ms, cap_ms) == (jitter.BASE_MS, jitter.CAP_MS))
    run = jitter.simulate(strategies[-1], clients, base_ms=base_ms, cap_ms=cap_ms,
                          seed=DEFAULT_SEED)
    plots.plot_client_timeline(figure.add_subplot(grid[1, :]), run)
    return figure


def show_jitter(**settings) -> None:
    """Draw ``draw_jitter`` in the notebook (returns nothing, so widgets show it once)."""
    draw_jitter(**settings)
    plt.show()


def jitter_explorer():
    """Pick strategies, clients, base and cap; watch the work and the time redraw."""
    import ipywidgets as w

    return w.interactive(
        show_jitter,
        strategies=w.SelectMultiple(options=[(jitter.LABELS[s], s) for s in jitter.STRATEGIES],
                                    value=("exponential", "equal", "full", "decorrelated"),
                                    description="strategies", rows=5),
        clients=w.IntSlider(value=100, min=10, max=100, step=10, description="clients"),
        base_ms=w.FloatLogSlider(value=5.0, base=10, min=0, max=2, description="base (ms)",
                                 continuous_update=False),
        cap_ms=w.FloatLogSlider(value=2000.0, base=10, min=2, max=4, description="cap (ms)",
                                continuous_update=False),
    )


def draw_amplification(layers=5, attempts=3, failure_rate=1.0):
    """Calls reaching every layer of a stack per user request, with and without budgets."""
    without = amplification.calls_per_layer(layers, attempts, failure_rate, budget=False)
    with_budget = amplification.calls_per_layer(layers, attempts, failure_rate, budget=True)
    figure, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    plots.plot_amplification(ax, without, with_budget)
    return figure


def show_amplification(**settings) -> None:
    """Draw ``draw_amplification`` in the notebook."""
    draw_amplification(**settings)
    plt.show()


def amplification_explorer():
    """Layers, attempts per layer and the dependency's failure rate, against the load."""
    import ipywidgets as w

    return w.interactive(
        show_amplification,
        layers=w.IntSlider(value=5, min=1, max=6, description="layers"),
        attempts=w.IntSlider(value=3, min=1, max=5, description="tries/layer"),
        failure_rate=w.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05,
                                   description="failing"),
    )
