"""The chapters' figures: plain functions that draw on matplotlib axes they are given.

Widgets call them on every redraw, notebooks call them once; keeping them apart from the
controls means one look for the whole course. Every figure comes from ``new_figure``, with
a caption under it that says what to notice, and importing this module sets the course's
style (``COURSE_STYLE``) for every figure in the notebook, a learner's own included.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from resilience import bursts, duplicates, timeouts
from resilience.jitter import LABELS, PUBLISHED_AT_100_CLIENTS, STRATEGIES, Average, Run

# Okabe and Ito's palette, which readers with any common colour-vision deficiency can tell
# apart: one meaning per colour across the course (good = green, bad = vermillion, ...).
GOOD = "#009E73"  # bluish green: work done
BAD = "#D55E00"  # vermillion: work lost
WARN = "#E69F00"  # orange: work wasted, or failed after trying
INFO = "#0072B2"  # blue: load, capacity in use
NEUTRAL = "#999999"  # grey: the baseline
COLOURS = dict(zip(STRATEGIES, (NEUTRAL, BAD, WARN, GOOD, INFO), strict=True))
POLICY_COLOURS = {"ignore": BAD, "immediate": WARN, "backoff": GOOD}
PALETTE = (GOOD, BAD, WARN, INFO, NEUTRAL)
CAPTION_COLOUR = "#333333"
FIGURE_DPI = 100  # pixels per inch of every figure, and of the widgets' PNGs

COURSE_STYLE = {
    "axes.prop_cycle": cycler(color=[INFO, WARN, GOOD, BAD, NEUTRAL]),  # unstyled plots too
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": FIGURE_DPI,
}
matplotlib.rcParams.update(COURSE_STYLE)

CAPTION_IN = 0.3  # height of the caption's line under a figure (inches)


def new_figure(width_in: float, height_in: float, caption: str, *, left: float,
               right: float, top: float, bottom: float, wspace: float | None = None,
               **subplots):
    """A figure of ``width_in`` x ``height_in`` inches of plots (margins as fractions of
    that, fixed: a layout engine would measure every label again on each redraw) and, in
    one line under them, ``caption``: what a reader should notice. Returns (figure, axes)."""
    figure, axes = plt.subplots(figsize=(width_in, height_in + CAPTION_IN), **subplots)
    total_in = height_in + CAPTION_IN
    figure.subplots_adjust(left=left, right=right, wspace=wspace,
                           bottom=(CAPTION_IN + bottom * height_in) / total_in,
                           top=(CAPTION_IN + top * height_in) / total_in)
    figure.text(left / 2, CAPTION_IN * 0.4 / total_in, caption, gid="caption",
                style="italic", color=CAPTION_COLOUR, va="center")
    return figure, axes


def style(ax, title: str, xlabel: str, ylabel: str) -> None:
    """The course's axis style: a title that says what to look at, labelled units."""
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)


def log_scale(axis) -> None:
    """A log axis labelled with plain numbers, without minor ticks: mathtext tick labels,
    and the dozens of minor ticks a log axis makes, cost most of a redraw."""
    if axis is axis.axes.xaxis:
        axis.axes.set_xscale("log")
    else:
        axis.axes.set_yscale("log")
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_locator(NullLocator())


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


# -- chapter 1: timeouts -----------------------------------------------------------------


def plot_latency_histogram(ax, sample_s: list[float]) -> None:
    """A latency sample on a log axis, with the percentiles a timeout is chosen from."""
    low, high = min(sample_s), max(sample_s)
    edges = [low * (high / low) ** (i / 60) for i in range(61)]
    ax.hist(sample_s, bins=edges, color=INFO, alpha=0.7)
    for fraction, name, colour in ((0.5, "p50", NEUTRAL), (0.99, "p99", WARN),
                                   (0.999, "p99.9", BAD)):
        value = timeouts.percentile(sample_s, fraction)
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


# -- chapter 3: partial failures ---------------------------------------------------------


def plot_burst(ax_time, ax_totals, results: dict[str, bursts.Burst]) -> None:
    """Records landed over time under each policy, and what each policy lost or wasted."""
    widths = {"backoff": 4, "immediate": 2.5, "ignore": 1.5}  # widest behind: all visible
    for policy in sorted(results, key=lambda p: -widths.get(p, 1)):
        burst = results[policy]
        # at most ~400 points: the count of records landed by each sampled landing time
        marks = [*range(0, burst.accepted, max(1, burst.accepted // 400)), burst.accepted - 1]
        times = [0.0] + [burst.accepted_at_s[i] for i in marks if i >= 0]
        landed = [0] + [i + 1 for i in marks if i >= 0]
        colour = POLICY_COLOURS[policy]
        ax_time.plot(times, landed, color=colour, linewidth=widths.get(policy, 1),
                     label=bursts.LABELS[policy])
        ax_time.plot([burst.finished_s], [burst.accepted], marker="o", color=colour)
        if burst.lost:
            ax_time.annotate(f"{burst.lost:,} lost", (burst.finished_s, burst.accepted),
                             xytext=(6, -4), textcoords="offset points", fontsize=8,
                             color=colour)
    any_burst = next(iter(results.values()))
    ax_time.axhline(any_burst.records, color=NEUTRAL, linestyle=":", linewidth=1)
    style(ax_time, f"A burst of {any_burst.records:,} records: how many landed, when",
          "time (s)", "records in the stream")
    ax_time.legend(loc="lower right")
    policies = list(results)
    width = 0.4
    ax_totals.bar([i - width / 2 for i in range(len(policies))],
                  [results[p].lost for p in policies], width, color=BAD, label="records lost")
    ax_totals.bar([i + width / 2 for i in range(len(policies))],
                  [results[p].rejected_sends for p in policies], width, color=WARN,
                  label="sends turned away")
    ax_totals.set_xticks(range(len(policies)), policies)
    style(ax_totals, "Lost records, and wasted sends", "policy", "records")
    ax_totals.legend()


def plot_shard_story(ax_age, ax_records, story) -> None:
    """A shard with a poison pill: how far behind the mapping is, and where records went."""
    hours = story.sample_h
    ax_age.fill_between(hours, story.iterator_age_h, color=WARN, alpha=0.5, step="post")
    ax_age.set_ylim(0, 25)
    style(ax_age, "Iterator age: how old the records the function sees are", "time (h)",
          "iterator age (h)")
    written = [min(story.written + story.bad, h * 3600 / 30) for h in hours]
    ax_records.plot(hours, written, color=NEUTRAL, label="written")
    ax_records.plot(hours, story.processed, color=GOOD, label="processed")
    ax_records.plot(hours, story.lost, color=BAD, label="lost to expiry")
    metrics = story.metrics
    ax_records.legend(loc="upper left")
    style(ax_records, f"{story.good_processed:,} of {story.written:,} good records processed"
          f"\n{metrics.invocations:,} invocations, {metrics.redeliveries:,} redeliveries, "
          f"{story.destination} sent to the destination", "time (h)", "records")


def plot_queue_story(ax, story) -> None:
    """A queue with poison pills: messages processed and messages parked in the DLQ."""
    minutes = [h * 60 for h in story.sample_h]
    ax.axhline(story.written, color=NEUTRAL, linestyle=":", label="good messages sent")
    ax.step(minutes, story.processed, where="post", color=GOOD, label="processed (deleted)")
    ax.step(minutes, story.lost, where="post", color=BAD, linestyle="--", label="in the DLQ")
    ax.legend(loc="center right")
    metrics = story.metrics
    style(ax, f"{metrics.invocations} invocations, {metrics.failed_invocations} failed, "
          f"{metrics.redeliveries} redeliveries; {story.bad} poison pills sent, "
          f"{story.destination} messages in the DLQ", "time (min)", "messages")


def plot_duplicate_story(ax_orders, ax_causes, story) -> None:
    """Orders charged through an at-least-once queue: how often each was charged, and
    which kind of duplicate delivery turned into a second charge."""
    counts = story.times_charged
    bins = [("never", story.never_charged, WARN), ("once", story.charged_once, GOOD),
            ("twice", sum(1 for n in counts.values() if n == 2), BAD),
            ("3+ times", sum(1 for n in counts.values() if n > 2), BAD)]
    bars = ax_orders.bar([label for label, _, _ in bins], [n for _, n, _ in bins],
                         color=[colour for _, _, colour in bins])
    ax_orders.bar_label(bars, fontsize=8)
    ax_orders.set_ylim(0, story.orders * 1.12)
    style(ax_orders, f"{story.charged_more} of {story.orders} orders charged more than once: "
          f"${story.overcharged_cents / 100:,.2f} taken twice", "times charged", "orders")
    causes = list(duplicates.CAUSES)
    positions = range(len(causes))
    delivered = [story.duplicate_deliveries[c] for c in causes]
    extra = [story.extra_charges[c] for c in causes]
    ax_causes.bar([p - 0.2 for p in positions], delivered, width=0.4, color=NEUTRAL,
                  label="duplicate deliveries")
    ax_causes.bar([p + 0.2 for p in positions], extra, width=0.4, color=BAD,
                  label="extra charges")
    ax_causes.set_xticks(list(positions), causes)
    ax_causes.legend()
    style(ax_causes, f"Where duplicates came from ({story.invocations} invocations, "
          f"{story.failed_invocations} failed)", "cause of the duplicate delivery",
          "deliveries or charges")


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


def plot_spike_story(ax, run, spike_start_s: float, spike_length_s: float) -> None:
    """Offered load, throughput and goodput second by second, through a spike and after."""
    seconds = range(len(run.good))
    ax.axvspan(spike_start_s, spike_start_s + spike_length_s, color=WARN, alpha=0.15,
               label="the spike")
    ax.plot(seconds, run.offered, color=NEUTRAL, label="offered (with retries)")
    ax.plot(seconds, run.completed, color=WARN, label="throughput")
    ax.plot(seconds, run.good, color=GOOD, label="goodput")
    ax.set_ylim(0, max(260, max(run.offered) * 1.05))
    ax.legend(loc="upper right")
    after = run.rate(run.good, len(run.good) - 30)
    style(ax, f"Goodput over the last 30 s: {after:.0f} requests/s", "time (s)",
          "requests/s")


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
    style(ax_depth, f"{run.strategy}: backlog drained {drained} after the disturbance",
          "time (s)", "messages waiting")
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


def percent(share: float, digits: int = 2) -> str:
    """A percentage to ``digits`` significant digits, without an exponent: 0.0000013%."""
    if share <= 0:
        return "0%"
    decimals = max(0, digits - 1 - math.floor(math.log10(share)))
    return f"{share:.{decimals}f}%"


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
        style(ax, f"{run.layout}: {len(run.affected)} of {len(waits)} hurt",
              "other tenants, least delayed first",
              "p99 wait (s, log scale)" if ax is axes[0] else "")
