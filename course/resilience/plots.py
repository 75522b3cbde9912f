"""The chapters' figures: plain functions that draw on matplotlib axes they are given.

Widgets call them on every redraw, notebooks call them once; keeping them apart from the
controls means one look for the whole course.
"""

from __future__ import annotations

from matplotlib.ticker import FuncFormatter, NullFormatter

from resilience.jitter import LABELS, PUBLISHED_AT_100_CLIENTS, STRATEGIES, Average, Run

COLOURS = dict(zip(STRATEGIES, ("#7f7f7f", "#d62728", "#ff7f0e", "#2ca02c", "#1f77b4"),
                   strict=True))


def style(ax, title: str, xlabel: str, ylabel: str) -> None:
    """The course's axis style: a title that says what to look at, labelled units."""
    ax.set_title(title, fontsize=10, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


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
    style(ax_time, "Time until the last client succeeded", "clients", "seconds")
    ax_time.set_yscale("log")
    # Plain numbers, no labels on minor ticks: mathtext tick labels cost most of a redraw.
    ax_time.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax_time.yaxis.set_minor_formatter(NullFormatter())
    ax_calls.legend(fontsize=8, frameon=False)


def plot_client_timeline(ax, run: Run) -> None:
    """One client's story: each write (red = conflict, green = success) and its waits."""
    for wanted, marker, colour in (("fail", "x", "#d62728"), ("ok", "o", "#2ca02c")):
        times_s = [t / 1000 for t, outcome in run.traced_writes if outcome == wanted]
        ax.plot(times_s, [0] * len(times_s), linestyle="", marker=marker, markersize=9,
                color=colour)
    ax.set_yticks([])
    writes = len(run.traced_writes)
    waited_s = sum(run.traced_backoffs_ms) / 1000
    style(ax, f"One client under {LABELS[run.strategy]} with {run.clients} clients: "
          f"{writes} writes, {waited_s:.2f} s waiting", "seconds", "")


def plot_amplification(ax, without_budget: list[float], with_budget: list[float]) -> None:
    """Calls reaching each layer per user request, with and without a retry budget."""
    layers = range(len(without_budget))
    width = 0.4
    ax.bar([x - width / 2 for x in layers], without_budget, width, color="#d62728",
           label="retries, no budget")
    ax.bar([x + width / 2 for x in layers], with_budget, width, color="#2ca02c",
           label="retries with a budget per layer")
    for x, value in zip(layers, without_budget, strict=True):
        ax.annotate(f"{value:.3g}", (x - width / 2, value), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(layers), ["user"] + [f"layer {i}" for i in layers[1:-1]]
                  + ["dependency"])
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    style(ax, "Calls reaching each layer for one user request", "", "calls (log scale)")
    ax.legend(fontsize=8, frameon=False)
