"""Chapter 7, shuffle-sharding: how many queues two workloads share, by the formula and by
simulation (``resilience.models.shufflesharding``), and a hot tenant's reach over one
shared queue, fixed shards and shuffle shards (``resilience.models.isolation``), with their
explorers."""

from __future__ import annotations

import math
from functools import lru_cache

from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from resilience.models import isolation, shufflesharding
from resilience.ui import progress
from resilience.ui.explorers import WIDE, explorer
from resilience.ui.figures import BAD, GOOD, INFO, NEUTRAL, log_scale, new_figure, percent, style

# The figures: plain functions that draw on the axes they are given.

def plot_overlap(ax, nodes: int, shard_size: int, exact, simulated=None) -> None:
    """How many queues a workload shares with another, by the formula (bars, labelled in
    percent) and by a simulation of random assignments (crosses), on a log scale so the
    rarest overlaps show."""
    overlaps = range(len(exact))
    shares = [float(p) * 100 for p in exact]
    colours = [GOOD] * (len(exact) - 1) + [BAD]
    ax.bar(overlaps, shares, color=colours, width=0.6, label="formula (hypergeometric)")
    for k, share in zip(overlaps, shares, strict=True):
        if share > 0:
            ax.annotate(percent(share, 3), (k, share), ha="center", va="bottom", fontsize=8,
                        xytext=(0, 2), textcoords="offset points")
    if simulated is not None:
        ax.plot(overlaps, [p * 100 if p > 0 else float("nan") for p in simulated],
                linestyle="none", marker="x", color=INFO, markersize=8,
                label="simulated (random workloads)")
    ax.set_yscale("log")
    rarest = min((s for s in shares if s > 0), default=1)
    ax.set_ylim(rarest / 5, 400)
    ax.set_xticks(list(overlaps))
    ax.yaxis.set_major_locator(LogLocator(base=10 if rarest > 1e-3 else 100))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: percent(value, 1)))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.legend(loc="upper right")
    style(ax, f"{nodes} queues, {shard_size} per workload: {math.comb(nodes, shard_size):,} "
          f"shards; all {shard_size} shared with {percent(shares[-1])} of workloads",
          "queues two workloads share", "pairs of workloads (%, log scale)")


def plot_isolation(axes, runs, affected_wait_s: float) -> None:
    """Each tenant's wait while one tenant is hot, one panel per layout, tenants sorted from
    the least to the most delayed; red above the line is a tenant that was hurt."""
    for ax, run in zip(axes, runs, strict=True):
        waits = sorted(run.others.values())
        ax.fill_between(range(len(waits)), waits, step="post", color=INFO, alpha=0.35,
                        linewidth=0)
        hurt = [(i, w) for i, w in enumerate(waits) if w > affected_wait_s]
        if hurt:
            ax.fill_between([i for i, _ in hurt], [w for _, w in hurt], step="post",
                            color=BAD, alpha=0.8, linewidth=0)
        ax.axhline(affected_wait_s, color=NEUTRAL, linestyle=":")
        log_scale(ax.yaxis)
        ax.set_ylim(0.05, 200)
        style(ax, f"{isolation.LABELS[run.layout]}: {len(run.affected)} of {len(waits)} hurt",
              "other tenants, least delayed first",
              "p99 wait (s, log scale)" if ax is axes[0] else "")


# The widgets: a drawing function with keyword defaults, and its controls.

OVERLAP_WORKLOADS = 20_000  # random workloads behind the widget's crosses: 2·10⁸ pairs


@lru_cache(maxsize=256)
def _simulated_overlap(nodes: int, shard_size: int) -> tuple[float, ...]:
    return tuple(shufflesharding.simulated_overlap(nodes, shard_size, OVERLAP_WORKLOADS,
                                                   steps=progress.steps))


def draw_overlap(nodes=8, shard_size=2):
    """The overlap distribution for ``nodes`` queues and shards of ``shard_size``."""
    shard_size = min(shard_size, nodes)
    figure, ax = new_figure(
        8, 3.4, "The red bar: pairs of workloads that share every queue, so that one flooding its "
                "queues leaves the other none.",
        left=0.13, right=0.98, top=0.9, bottom=0.15)
    plot_overlap(ax, nodes, shard_size,
                       shufflesharding.overlap_distribution(nodes, shard_size),
                       _simulated_overlap(nodes, shard_size))
    return figure


def overlap_explorer():
    """Queues (nodes) and shard size against how much two workloads share."""
    import ipywidgets as w

    return explorer(
        w, draw_overlap,
        nodes=w.IntSlider(value=8, min=2, max=100, description="queues (N)", style=WIDE),
        shard_size=w.IntSlider(value=2, min=1, max=8, description="shard size (K)",
                               style=WIDE),
    )

# key -> the per-tenant throttle it stands for (messages a second; None: no throttle)
TENANT_LIMITS = {"none": None, "10/s": 10.0}
TENANT_LIMIT_LABELS = {"none": "none", "10/s": "10 a second per tenant"}


def draw_isolation(nodes=8, shard_size=2, hot_rate_per_s=150.0, tenant_limit="none"):
    """Every tenant's wait while one is hot: one shared queue, fixed shards, shuffle shards."""
    limit = TENANT_LIMITS[tenant_limit]
    runs = [isolation.simulate_isolation(layout, nodes, min(shard_size, nodes),
                                         float(hot_rate_per_s), limit)
            for layout in progress.steps(isolation.LAYOUTS, "layouts simulated")]
    figure, axes = new_figure(
        11, 3.2, "Count the red tenants in each panel: how many others the hot tenant hurts under "
                 "each layout.",
        left=0.07, right=0.99, top=0.88, bottom=0.15, wspace=0.08, ncols=3, sharey=True)
    plot_isolation(axes, runs, isolation.AFFECTED_WAIT_S)
    return figure


def isolation_explorer():
    """Queues, shard size, the hot tenant's rate and a per-tenant throttle, against who
    waits."""
    import ipywidgets as w

    return explorer(
        w, draw_isolation,
        nodes=w.SelectionSlider(options=[4, 8, 12, 16], value=8, description="queues (N)",
                                style=WIDE),
        shard_size=w.IntSlider(value=2, min=1, max=4, description="shard size (K)",
                               style=WIDE),
        hot_rate_per_s=w.SelectionSlider(options=[0, 50, 150, 400], value=150,
                                         description="hot tenant (messages/s)", style=WIDE),
        tenant_limit=w.Dropdown(options=[(TENANT_LIMIT_LABELS[key], key) for key in TENANT_LIMITS],
                                value="none", description="per-tenant throttle", style=WIDE),
    )
