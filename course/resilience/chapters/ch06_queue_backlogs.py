"""Chapter 6, queue backlogs: a queue's depth and the age of the work it serves through a
surge or an outage, under each strategy of ``resilience.models.backlogs``, with its
explorer."""

from __future__ import annotations

from resilience.models import backlogs
from resilience.ui.explorers import WIDE, explorer
from resilience.ui.figures import GOOD, INFO, NEUTRAL, WARN, new_figure, style

# The figures: plain functions that draw on the axes they are given.

def plot_backlog(ax_depth, ax_age, run, disturbance_start_s: float, fresh_s: float) -> None:
    """A backlog after a surge or an outage: how deep the queues are, how old the work
    being served is."""
    seconds = range(len(run.main_depth))
    for ax in (ax_depth, ax_age):
        ax.axvspan(disturbance_start_s, run.disturbance_end_s, color=WARN, alpha=0.15)
    ax_depth.plot(seconds, run.main_depth, color=INFO, label="main queue")
    if any(run.low_depth):
        ax_depth.plot(seconds, run.low_depth, color=NEUTRAL, label="low-priority queue")
    ax_depth.legend(loc="upper right")
    drained = "never" if run.drained_s == float("inf") else f"{run.drained_s:.0f} s"
    style(ax_depth, f"{backlogs.LABELS[run.strategy]}: backlog drained {drained} after the "
          "disturbance", "time (s)", "messages waiting")
    for fresh, colour, label in ((True, GOOD, "a message served fresh (1 in 10)"),
                                 (False, WARN, "a message served stale (1 in 10)")):
        served = [(t, age) for t, age in run.served_sample if (age <= fresh_s) == fresh]
        ax_age.plot([t for t, _ in served], [age for _, age in served], linestyle="none",
                    marker=".", markersize=2, color=colour, label=label)
    ax_age.plot(seconds, run.oldest_waiting_s, color=INFO, linewidth=1,
                label="oldest message waiting")
    ax_age.axhline(fresh_s, color=NEUTRAL, linestyle=":", label=f"fresh ({fresh_s:g} s)")
    ax_age.set_ylim(0, 200)
    ax_age.legend(loc="upper right", markerscale=4)
    recovered = "never" if run.recovery_s == float("inf") else f"after {run.recovery_s:.0f} s"
    style(ax_age, f"Fresh again {recovered}: {run.stale_served:,} stale served, "
          f"{sum(run.expired):,} expired", "time (s)", "age (s)")


# The widgets: a drawing function with keyword defaults, and its controls.

def draw_backlog(strategy=backlogs.FIFO, disturbance=backlogs.SURGE, factor=3.0, length_s=60):
    """A surge or an outage against one backlog strategy: depth, and age of what is served."""
    run = backlogs.simulate_backlog(strategy, disturbance, factor, float(length_s))
    figure, (ax_depth, ax_age) = new_figure(
        11, 3.4, "Served oldest first, a backlog makes new work stale too; serving newest first "
                 "keeps new work fresh.",
        left=0.07, right=0.98, top=0.86, bottom=0.15, wspace=0.22, ncols=2)
    plot_backlog(ax_depth, ax_age, run, backlogs.START_S, backlogs.FRESH_S)
    return figure


def backlog_explorer():
    """Backlog strategy, and the surge or outage that builds the backlog."""
    import ipywidgets as w

    return explorer(
        w, draw_backlog,
        strategy=w.Dropdown(options=[(backlogs.LABELS[s], s) for s in backlogs.STRATEGIES],
                            value=backlogs.FIFO, description="strategy", style=WIDE),
        disturbance=w.Dropdown(options=[backlogs.SURGE, backlogs.OUTAGE], value=backlogs.SURGE,
                               description="disturbance", style=WIDE),
        factor=w.SelectionSlider(options=[1.5, 2.0, 3.0, 5.0], value=3.0,
                                 description="surge (x rate)", style=WIDE),
        length_s=w.SelectionSlider(options=[10, 30, 60, 120], value=60,
                                   description="length (s)", style=WIDE),
    )
