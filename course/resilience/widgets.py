"""The chapters' interactive figures: a plain function with keyword defaults that draws,
wrapped by ``ipywidgets.interactive``, as in ipywidgets' own examples.

Each ``draw_*`` function returns a figure; a widget shows it through a callback that
returns nothing (so it is shown once); each ``*_explorer`` returns the widget. Simulations
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


DEFAULT_STRATEGIES = ("exponential", "equal", "full", "decorrelated")


def _chosen(strategies) -> list[str]:
    return [s for s in jitter.STRATEGIES if s in strategies] or ["full"]


def draw_jitter_sweep(strategies=DEFAULT_STRATEGIES, base_ms=5.0, cap_ms=2000.0):
    """Write calls and completion time against the number of clients, per strategy."""
    results = {s: [_average(s, n, base_ms, cap_ms) for n in CLIENT_COUNTS]
               for s in _chosen(strategies)}
    # Fixed margins: a layout engine would measure every label again on each redraw.
    figure, (ax_calls, ax_time) = plt.subplots(1, 2, figsize=(10, 3.8))
    figure.subplots_adjust(left=0.07, right=0.98, top=0.92, bottom=0.12, wspace=0.2)
    plots.plot_jitter_sweep(ax_calls, ax_time, results,
                            published=(base_ms, cap_ms) == (jitter.BASE_MS, jitter.CAP_MS))
    return figure


def draw_jitter_timeline(strategies=DEFAULT_STRATEGIES, clients=100, base_ms=5.0,
                         cap_ms=2000.0):
    """One client's writes and waits, under the last chosen strategy."""
    run = jitter.simulate(_chosen(strategies)[-1], clients, base_ms=base_ms, cap_ms=cap_ms,
                          seed=DEFAULT_SEED)
    figure, ax = plt.subplots(figsize=(10, 1.8))
    figure.subplots_adjust(left=0.07, right=0.98, top=0.8, bottom=0.3)
    plots.plot_client_timeline(ax, run)
    return figure


def _shown(draw):
    """``draw`` as a widget callback: show the figure, return nothing (shown once)."""

    def show(**settings) -> None:
        draw(**settings)
        plt.show()

    return show


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
    sweep = w.interactive_output(_shown(draw_jitter_sweep), sweep_controls)
    timeline = w.interactive_output(_shown(draw_jitter_timeline), controls)
    return w.VBox([w.HBox([controls["strategies"],
                           w.VBox([controls["clients"], controls["base_ms"],
                                   controls["cap_ms"]])]),
                   sweep, timeline])


def draw_amplification(layers=5, attempts=3, failure_rate=1.0):
    """Calls reaching every layer of a stack per user request, with and without budgets."""
    without = amplification.calls_per_layer(layers, attempts, failure_rate, budget=False)
    with_budget = amplification.calls_per_layer(layers, attempts, failure_rate, budget=True)
    figure, ax = plt.subplots(figsize=(9, 4))
    figure.subplots_adjust(left=0.09, right=0.98, top=0.92, bottom=0.1)
    plots.plot_amplification(ax, without, with_budget)
    return figure


def amplification_explorer():
    """Layers, attempts per layer and the dependency's failure rate, against the load."""
    import ipywidgets as w

    return w.interactive(
        _shown(draw_amplification),
        layers=w.IntSlider(value=5, min=1, max=6, description="layers"),
        attempts=w.IntSlider(value=3, min=1, max=5, description="tries/layer"),
        failure_rate=w.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05,
                                   description="failing"),
    )
