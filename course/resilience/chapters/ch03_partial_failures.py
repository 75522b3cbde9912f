"""Chapter 3, partial failures: a burst of records into a stream's shards, sent by producers
that ignore failed records, resend them at once, or back off (``resilience.models.bursts``),
with its explorer."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from resilience.models import bursts
from resilience.models.frozen import frozen_mapping
from resilience.ui.explorers import explorer
from resilience.ui.figures import BAD, GOOD, NEUTRAL, WARN, new_figure, style

# The figures: plain functions that draw on the axes they are given.

POLICY_COLOURS = {"ignore": BAD, "immediate": WARN, "backoff": GOOD}


def plot_burst(ax_time, ax_totals, results: Mapping[str, bursts.Burst]) -> None:
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


# The widgets: a drawing function with keyword defaults, and its controls.

@lru_cache(maxsize=256)
def _bursts(records: int, shard_count: int, max_rounds: int) -> Mapping[str, bursts.Burst]:
    return frozen_mapping(bursts.compare(records, shard_count, max_rounds))


def draw_burst(shard_count=2, records=10_000, max_rounds=8):
    """A burst into a stream under each retry policy: records landed, lost and wasted."""
    figure, (ax_time, ax_totals) = new_figure(
        10, 3.6, "Compare the policies: which lands every record, which loses some, and how many "
                 "sends each wastes.",
        left=0.08, right=0.98, top=0.91, bottom=0.14, wspace=0.25, ncols=2,
        gridspec_kw={"width_ratios": (1.6, 1)})
    plot_burst(ax_time, ax_totals, _bursts(records, shard_count, max_rounds))
    return figure


def burst_explorer():
    """Shards, burst size and rounds of retries, against records landed and lost."""
    import ipywidgets as w

    return explorer(
        w, draw_burst,
        shard_count=w.IntSlider(value=2, min=1, max=8, description="shards"),
        records=w.IntSlider(value=10_000, min=1_000, max=20_000, step=1_000,
                            description="burst"),
        max_rounds=w.IntSlider(value=8, min=1, max=12, description="sends/record"),
    )
