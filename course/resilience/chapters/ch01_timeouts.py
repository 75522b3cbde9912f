"""Chapter 1, timeouts: the latency histogram a timeout is chosen from, and the producer's
worker pool swept across timeouts (``resilience.models.timeouts``), with its explorer."""

from __future__ import annotations

from functools import lru_cache

from resilience.models import timeouts
from resilience.models.stats import percentile
from resilience.ui import progress
from resilience.ui.explorers import figure_widget
from resilience.ui.figures import BAD, GOOD, INFO, NEUTRAL, WARN, log_scale, new_figure, style

# The figures: plain functions that draw on the axes they are given.

def plot_latency_histogram(ax, sample_s: list[float]) -> None:
    """A latency sample on a log axis, with the percentiles a timeout is chosen from."""
    low, high = min(sample_s), max(sample_s)
    edges = [low * (high / low) ** (i / 60) for i in range(61)]
    ax.hist(sample_s, bins=edges, color=INFO, alpha=0.7)
    for fraction, name, colour in ((0.5, "p50", NEUTRAL), (0.99, "p99", WARN),
                                   (0.999, "p99.9", BAD)):
        value = percentile(sample_s, fraction)
        ax.axvline(value, color=colour, linestyle="--")
        ax.annotate(f"{name} {value * 1000:.0f} ms", (value, 0.97), xycoords=("data",
                    "axes fraction"), rotation=90, ha="right", va="top", fontsize=8)
    log_scale(ax.xaxis)
    style(ax, f"Latency of {len(sample_s)} calls that answered: a long tail",
          "latency (s, log scale)", "calls")


def plot_timeout_sweep(ax_outcomes, ax_costs, runs: list[timeouts.Run]) -> None:
    """What became of the records, and what it cost, against the timeout."""
    x = [run.timeout_s for run in runs]
    for label, values, colour in (
            ("completed", [100 * r.share(r.completed) for r in runs], GOOD),
            ("failed after every retry", [100 * r.share(r.failed) for r in runs], WARN),
            ("lost: no worker free", [100 * r.share(r.lost) for r in runs], BAD)):
        ax_outcomes.plot(x, values, marker="o", markersize=3, color=colour, label=label)
    ax_costs.plot(x, [100 * r.abandoned / max(1, r.offered) for r in runs], marker="o",
                  markersize=3, color=WARN, label="abandoned work per 100 records")
    ax_costs.plot(x, [100 * r.exhausted_share for r in runs], marker="o", markersize=3,
                  color=BAD, label="% of time with no worker free")
    ax_costs.plot(x, [100 * (r.calls_per_record - 1) for r in runs], marker="o",
                  markersize=3, color=INFO, label="extra calls per 100 records")
    for ax in (ax_outcomes, ax_costs):
        log_scale(ax.xaxis)
        ax.legend()
    style(ax_outcomes, f"What became of the records ({runs[0].retries} retries)",
          "timeout (s, log scale)", "% of records offered")
    style(ax_costs, "Too short wastes work; too long starves the pool",
          "timeout (s, log scale)", "per 100 records, or %")


def plot_producer_timeline(ax, run: timeouts.Run) -> None:
    """One run, second by second: workers busy and records lost."""
    seconds = range(len(run.busy_per_s))
    ax.fill_between(seconds, run.busy_per_s, step="post", color=INFO, alpha=0.3,
                    label="workers busy")
    ax.axhline(timeouts.WORKERS, color=INFO, linewidth=1, linestyle=":")
    ax.bar(seconds, run.lost_per_s, width=1.0, align="edge", color=BAD, label="records lost")
    style(ax, f"Timeout {run.timeout_s:g} s, {run.retries} retries: "
          f"{100 * run.share(run.completed):.1f}% completed, {run.lost} records lost, "
          f"no worker free {100 * run.exhausted_share:.0f}% of the time",
          "time (s)", "workers, or records per s")
    ax.legend(loc="upper left")


# The widgets: a drawing function with keyword defaults, and its controls.

def draw_latency_histogram(sample_s):
    """A latency sample with the percentiles a timeout is chosen from (drawn once)."""
    figure, ax = new_figure(
        9, 3, "A timeout belongs in the tail: set at the p99.9, it gives up on 1 good call in "
              "1,000 and never waits forever.",
        left=0.07, right=0.98, top=0.88, bottom=0.17)
    plot_latency_histogram(ax, sample_s)
    return figure


@lru_cache(maxsize=256)
def _producer_run(timeout_s: float, retries: int) -> timeouts.Run:
    return timeouts.simulate(timeout_s, retries)


def draw_timeout_sweep(retries=2):
    """Records completed, failed and lost, and the work wasted, against the timeout."""
    runs = [_producer_run(timeout_s, retries)
            for timeout_s in progress.steps(timeouts.TIMEOUTS_S, "timeouts simulated")]
    figure, (ax_outcomes, ax_costs) = new_figure(
        10, 3.6, "Too short a timeout gives up on calls that would have answered; too long ties "
                 "up every worker on a hang.",
        left=0.07, right=0.98, top=0.91, bottom=0.14, wspace=0.22, ncols=2)
    plot_timeout_sweep(ax_outcomes, ax_costs, runs)
    return figure


def draw_producer_timeline(timeout_s=0.6, retries=2):
    """One run of the producer, second by second, at the chosen timeout."""
    figure, ax = new_figure(
        10, 2.4, "When every worker is waiting on a hung call, new records have nowhere to go: "
                 "the red bars are records lost.",
        left=0.07, right=0.98, top=0.86, bottom=0.2)
    plot_producer_timeline(ax, _producer_run(timeout_s, retries))
    return figure


def timeout_explorer():
    """Pick a timeout and a number of retries; see both ways a timeout goes wrong.

    The sweep redraws when the retries change; the timeline, when either control moves."""
    import ipywidgets as w

    controls = {
        "timeout_s": w.SelectionSlider(
            options=[(f"{t * 1000:g} ms" if t < 1 else f"{t:g} s", t)
                     for t in timeouts.TIMEOUTS_S],
            value=0.6, description="timeout"),
        "retries": w.IntSlider(value=2, min=0, max=3, description="retries"),
    }
    return w.VBox([w.HBox(list(controls.values())),
                   figure_widget(w, draw_timeout_sweep, {"retries": controls["retries"]}),
                   figure_widget(w, draw_producer_timeline, controls)])
