"""The chapters' interactive figures: a plain function with keyword defaults that draws,
wired to its controls by ``ipywidgets.interactive_output``, as in ipywidgets' own examples.

Each ``draw_*`` function returns a figure; each ``*_explorer`` returns the widget: its
controls, then each figure with a progress bar (shown while a slow simulation runs) and an
output area that shows an error if drawing fails. The figure is a PNG in an ``Image``
widget, part of the widget's own state: the browser shows it whenever the widget appears,
with no race between the kernel's output messages and the widget's view (an
``interactive`` figure, sent as output while its view was still being built, was sometimes
lost). Simulations behind the figures are cached, so moving a control that does not change
the simulation redraws at once."""

from __future__ import annotations

import io
import traceback
from functools import lru_cache

import matplotlib.pyplot as plt

from resilience import (
    amplification,
    backlogs,
    bursts,
    duplicates,
    isolation,
    jitter,
    loadshedding,
    plots,
    poisonpills,
    progress,
    shufflesharding,
    timeouts,
)
from resilience.clock import DEFAULT_SEED

CLIENT_COUNTS = tuple(range(10, 101, 10))
WIDGET_RUNS = 5  # runs averaged per point: enough to show the shape, quick to recompute
WIDE = {"description_width": "initial"}  # controls named after AWS parameters: room for them


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
    figure, (ax_calls, ax_time) = plots.new_figure(
        10, 3.8, "Compare the work: the more a strategy spreads retries out, the fewer writes "
                 "collide and the fewer calls it takes.",
        left=0.07, right=0.98, top=0.92, bottom=0.12, wspace=0.2, ncols=2)
    plots.plot_jitter_sweep(ax_calls, ax_time, results,
                            published=(base_ms, cap_ms) == (jitter.BASE_MS, jitter.CAP_MS))
    return figure


def draw_jitter_timeline(strategies=DEFAULT_STRATEGIES, clients=100, base_ms=5.0,
                         cap_ms=2000.0):
    """One client's writes and waits, under the last chosen strategy."""
    run = jitter.simulate(_chosen(strategies)[-1], clients, base_ms=base_ms, cap_ms=cap_ms,
                          seed=DEFAULT_SEED)
    figure, ax = plots.new_figure(
        10, 1.8, "One client's writes: crosses lost to another client, a circle succeeded; the "
                 "gaps are the waits its strategy chose.",
        left=0.07, right=0.98, top=0.8, bottom=0.3)
    plots.plot_client_timeline(ax, run)
    return figure


def _figure(w, draw, controls: dict):
    """The figure ``draw(**values of controls)`` makes, as a PNG in an ``Image`` widget
    redrawn when a control changes; above it, a progress bar that shows while a slow
    simulation runs; below it, the output where a failure to draw shows.

    The first draw runs here, while the cell runs and before the widget is on the page, so
    its progress shows under the cell; ``interactive_output`` then finds the figure already
    drawn for those settings (it would send a bar under the cell into its own output)."""
    image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
    bar = progress.Bar()
    last_settings: dict = {}  # what was last drawn, or failed to draw (it would again)

    def redraw(**settings) -> None:
        if settings == last_settings:
            return
        first = not last_settings
        last_settings.clear()
        last_settings.update(settings)
        with progress.watched_by(progress.CellBar() if first else bar):
            figure = draw(**settings)
        try:
            png = io.BytesIO()
            figure.savefig(png, format="png", dpi=plots.FIGURE_DPI)
        finally:
            plt.close(figure)
        image.value = png.getvalue()

    try:
        redraw(**{name: control.value for name, control in controls.items()})
        failure = None
    except Exception:  # shown in the widget, as a failure of any later redraw would be
        failure = traceback.format_exc()
    errors = w.interactive_output(redraw, controls)
    if failure:
        errors.append_stderr(failure)
    return w.VBox([bar.widget, image, errors])


def _explorer(w, draw, **controls):
    """Controls, then the figure ``draw`` makes from their values."""
    return w.VBox([*controls.values(), _figure(w, draw, controls)])


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
                   _figure(w, draw_jitter_sweep, sweep_controls),
                   _figure(w, draw_jitter_timeline, controls)])


def draw_amplification(layers=5, attempts=3, failure_rate=1.0):
    """Calls reaching every layer of a stack per user request, with and without budgets."""
    without = amplification.calls_per_layer(layers, attempts, failure_rate, budget=False)
    with_budget = amplification.calls_per_layer(layers, attempts, failure_rate, budget=True)
    figure, ax = plots.new_figure(
        9, 4, "With failures below, each layer's retries multiply the calls under it; a retry "
              "budget per layer caps them.",
        left=0.09, right=0.98, top=0.92, bottom=0.1)
    plots.plot_amplification(ax, without, with_budget)
    return figure


def amplification_explorer():
    """Layers, attempts per layer and the dependency's failure rate, against the load."""
    import ipywidgets as w

    return _explorer(
        w, draw_amplification,
        layers=w.IntSlider(value=5, min=1, max=6, description="layers"),
        attempts=w.IntSlider(value=3, min=1, max=5, description="tries/layer"),
        failure_rate=w.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05,
                                   description="failing"),
    )


# -- chapter 1: timeouts -----------------------------------------------------------------


def draw_latency_histogram(sample_s):
    """A latency sample with the percentiles a timeout is chosen from (drawn once)."""
    figure, ax = plots.new_figure(
        9, 3, "A timeout belongs in the tail: set at the p99.9, it gives up on 1 good call in "
              "1,000 and never waits forever.",
        left=0.07, right=0.98, top=0.88, bottom=0.17)
    plots.plot_latency_histogram(ax, sample_s)
    return figure


@lru_cache(maxsize=256)
def _producer_run(timeout_s: float, retries: int) -> timeouts.Run:
    return timeouts.simulate(timeout_s, retries)


def draw_timeout_sweep(retries=2):
    """Records completed, failed and lost, and the work wasted, against the timeout."""
    runs = [_producer_run(timeout_s, retries)
            for timeout_s in progress.steps(timeouts.TIMEOUTS_S, "timeouts simulated")]
    figure, (ax_outcomes, ax_costs) = plots.new_figure(
        10, 3.6, "Too short a timeout gives up on calls that would have answered; too long ties "
                 "up every worker on a hang.",
        left=0.07, right=0.98, top=0.91, bottom=0.14, wspace=0.22, ncols=2)
    plots.plot_timeout_sweep(ax_outcomes, ax_costs, runs)
    return figure


def draw_producer_timeline(timeout_s=0.6, retries=2):
    """One run of the producer, second by second, at the chosen timeout."""
    figure, ax = plots.new_figure(
        10, 2.4, "When every worker is waiting on a hung call, new records have nowhere to go: "
                 "the red bars are records lost.",
        left=0.07, right=0.98, top=0.86, bottom=0.2)
    plots.plot_producer_timeline(ax, _producer_run(timeout_s, retries))
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
                   _figure(w, draw_timeout_sweep, {"retries": controls["retries"]}),
                   _figure(w, draw_producer_timeline, controls)])


# -- chapter 3: partial failures ---------------------------------------------------------


@lru_cache(maxsize=256)
def _bursts(records: int, shard_count: int, max_rounds: int) -> dict[str, bursts.Burst]:
    return bursts.compare(records, shard_count, max_rounds)


def draw_burst(shard_count=2, records=10_000, max_rounds=8):
    """A burst into a stream under each retry policy: records landed, lost and wasted."""
    figure, (ax_time, ax_totals) = plots.new_figure(
        10, 3.6, "Compare the policies: which lands every record, which loses some, and how many "
                 "sends each wastes.",
        left=0.08, right=0.98, top=0.91, bottom=0.14, wspace=0.25, ncols=2,
        gridspec_kw={"width_ratios": (1.6, 1)})
    plots.plot_burst(ax_time, ax_totals, _bursts(records, shard_count, max_rounds))
    return figure


def burst_explorer():
    """Shards, burst size and rounds of retries, against records landed and lost."""
    import ipywidgets as w

    return _explorer(
        w, draw_burst,
        shard_count=w.IntSlider(value=2, min=1, max=8, description="shards"),
        records=w.IntSlider(value=10_000, min=1_000, max=20_000, step=1_000,
                            description="burst"),
        max_rounds=w.IntSlider(value=8, min=1, max=12, description="sends/record"),
    )


# -- chapter 4: poison pills ---------------------------------------------------------------

RETRY_CHOICES = [("-1 (until expiry)", -1), ("0", 0), ("2", 2), ("10", 10)]
AGE_CHOICES = [("-1 (until expiry)", -1), ("1 min", 60), ("1 h", 3600), ("6 h", 21600)]


def draw_shard_story(max_retries=-1, max_age_s=-1, bisect=False, report=False,
                     destination=False, headroom=1.5):
    """A day and more of a shard with one poison pill, under these mapping settings."""
    story = poisonpills.shard_story(max_retries, max_age_s, bisect, report, destination,
                                    headroom)
    figure, (ax_age, ax_records) = plots.new_figure(
        11, 3.4, "With AWS's defaults, one bad record holds up its shard until it expires; the "
                 "mapping's settings bound the wait.",
        left=0.06, right=0.98, top=0.86, bottom=0.15, wspace=0.22, ncols=2)
    plots.plot_shard_story(ax_age, ax_records, story)
    return figure


def shard_explorer():
    """The Kinesis mapping's settings against a poison pill: AWS's defaults first."""
    import ipywidgets as w

    return _explorer(
        w, draw_shard_story,
        max_retries=w.Dropdown(options=RETRY_CHOICES, value=-1,
                               description="MaximumRetryAttempts", style=WIDE),
        max_age_s=w.Dropdown(options=AGE_CHOICES, value=-1,
                             description="MaximumRecordAgeInSeconds", style=WIDE),
        bisect=w.Checkbox(value=False, description="BisectBatchOnFunctionError"),
        report=w.Checkbox(value=False, description="ReportBatchItemFailures"),
        destination=w.Checkbox(value=False, description="OnFailure destination"),
        headroom=w.SelectionSlider(options=[1.0, 1.1, 1.5, 2.0, 4.0], value=1.5,
                                   description="capacity ×", style=WIDE),
    )


def draw_queue_story(visibility_timeout_s=30, function_s=10, max_receive_count=5,
                     report=True):
    """A queue with poison pills under these settings: processed, redelivered, parked."""
    story = poisonpills.queue_story(visibility_timeout_s, float(function_s), max_receive_count,
                                    report)
    figure, ax = plots.new_figure(
        10, 3.2, "Only poison pills belong in the DLQ; good messages there, or redelivered again "
                 "and again, are work lost or repeated.",
        left=0.07, right=0.98, top=0.88, bottom=0.16)
    plots.plot_queue_story(ax, story)
    return figure


def queue_explorer():
    """Visibility timeout, function run time, maxReceiveCount and partial batch responses."""
    import ipywidgets as w

    return _explorer(
        w, draw_queue_story,
        visibility_timeout_s=w.SelectionSlider(options=[5, 10, 30, 60, 120], value=30,
                                               description="visibility (s)", style=WIDE),
        function_s=w.SelectionSlider(options=[1, 5, 10, 20, 50], value=10,
                                     description="function (s)", style=WIDE),
        max_receive_count=w.IntSlider(value=5, min=1, max=10, description="maxReceiveCount",
                                      style=WIDE),
        report=w.Checkbox(value=True, description="ReportBatchItemFailures"),
    )


# -- chapter 8: idempotency ----------------------------------------------------------------

RATE_CHOICES = [("0%", 0.0), ("2%", 0.02), ("5%", 0.05), ("10%", 0.1), ("20%", 0.2)]


def draw_duplicate_story(strategy="no idempotency", producer_retry_rate=0.05,
                         timeout_rate=0.05, crash_rate=0.02):
    """Orders charged through an at-least-once queue under one idempotency strategy."""
    story = duplicates.duplicate_story(strategy, producer_retry_rate, timeout_rate, crash_rate)
    figure, (ax_orders, ax_causes) = plots.new_figure(
        11, 3.4, "Red is money taken twice: which orders were charged more than once, and which "
                 "kind of duplicate caused it.",
        left=0.06, right=0.98, top=0.86, bottom=0.15, wspace=0.22, ncols=2)
    plots.plot_duplicate_story(ax_orders, ax_causes, story)
    return figure


def duplicates_explorer():
    """The idempotency strategy against three kinds of duplicate, each with its rate."""
    import ipywidgets as w

    def rate(value, description):
        return w.SelectionSlider(options=RATE_CHOICES, value=value, description=description,
                                 style=WIDE)

    return _explorer(
        w, draw_duplicate_story,
        strategy=w.Dropdown(options=list(duplicates.STRATEGIES), value="no idempotency",
                            description="strategy", style=WIDE,
                            layout=w.Layout(width="480px")),
        producer_retry_rate=rate(0.05, "producer retries"),
        timeout_rate=rate(0.05, "payment timeouts"),
        crash_rate=rate(0.02, "crashes after charging"),
    )


# -- chapter 5: load shedding --------------------------------------------------------------


def draw_goodput_curve(policy="none (FIFO, no limit)", timeout_s=1.0, retries=3):
    """Throughput and goodput against offered load, under one protection policy."""
    curve = loadshedding.goodput_curve(policy, timeout_s, retries)
    figure, ax = plots.new_figure(
        7, 3.6, "Goodput is what clients get: unprotected, it collapses past capacity while "
                "throughput holds.",
        left=0.1, right=0.97, top=0.9, bottom=0.14)
    plots.plot_goodput_curve(ax, curve, loadshedding.CAPACITY_PER_S, loadshedding.SETTLED_S)
    return figure


def draw_spike_story(policy="none (FIFO, no limit)", retries=3, factor=2.0, length_s=10):
    """A spike at 60% load and its aftermath, under one policy and retry count."""
    run = loadshedding.spike_story(policy, retries, factor, length_s)
    figure, ax = plots.new_figure(
        10, 3.4, "After the spike (shaded), watch whether goodput returns to the load offered or "
                 "retries keep the server swamped.",
        left=0.07, right=0.98, top=0.88, bottom=0.15)
    plots.plot_spike_story(ax, run, loadshedding.SPIKE_START_S, length_s)
    return figure


def _policy_control(w):
    return w.Dropdown(options=list(loadshedding.POLICIES), value="none (FIFO, no limit)",
                      description="protection", style=WIDE)


def goodput_explorer():
    """Protection policy, client timeout and retries against the goodput curve."""
    import ipywidgets as w

    return _explorer(
        w, draw_goodput_curve,
        policy=_policy_control(w),
        timeout_s=w.SelectionSlider(options=[0.25, 0.5, 1.0, 2.0, 5.0], value=1.0,
                                    description="client timeout (s)", style=WIDE),
        retries=w.IntSlider(value=3, min=0, max=5, description="retries", style=WIDE),
    )


def spike_explorer():
    """Protection policy, retries and the spike's size against the metastable failure."""
    import ipywidgets as w

    return _explorer(
        w, draw_spike_story,
        policy=_policy_control(w),
        retries=w.IntSlider(value=3, min=0, max=5, description="retries", style=WIDE),
        factor=w.SelectionSlider(options=[1.2, 1.5, 2.0, 3.0], value=2.0,
                                 description="spike (x load)", style=WIDE),
        length_s=w.SelectionSlider(options=[1, 2, 5, 10, 20], value=10,
                                   description="spike length (s)", style=WIDE),
    )


# -- chapter 6: queue backlogs -------------------------------------------------------------


def draw_backlog(strategy="FIFO", disturbance="surge", factor=3.0, length_s=60):
    """A surge or an outage against one backlog strategy: depth, and age of what is served."""
    run = backlogs.simulate_backlog(strategy, disturbance, factor, float(length_s))
    figure, (ax_depth, ax_age) = plots.new_figure(
        11, 3.4, "Served oldest first, a backlog makes new work stale too; serving newest first "
                 "keeps new work fresh.",
        left=0.07, right=0.98, top=0.86, bottom=0.15, wspace=0.22, ncols=2)
    plots.plot_backlog(ax_depth, ax_age, run, backlogs.START_S, backlogs.FRESH_S)
    return figure


def backlog_explorer():
    """Backlog strategy, and the surge or outage that builds the backlog."""
    import ipywidgets as w

    return _explorer(
        w, draw_backlog,
        strategy=w.Dropdown(options=list(backlogs.STRATEGIES), value="FIFO",
                            description="strategy", style=WIDE),
        disturbance=w.Dropdown(options=[backlogs.SURGE, backlogs.OUTAGE], value="surge",
                               description="disturbance", style=WIDE),
        factor=w.SelectionSlider(options=[1.5, 2.0, 3.0, 5.0], value=3.0,
                                 description="surge (x rate)", style=WIDE),
        length_s=w.SelectionSlider(options=[10, 30, 60, 120], value=60,
                                   description="length (s)", style=WIDE),
    )


# -- chapter 7: shuffle-sharding ------------------------------------------------------------

OVERLAP_WORKLOADS = 20_000  # random workloads behind the widget's crosses: 2·10⁸ pairs


@lru_cache(maxsize=256)
def _simulated_overlap(nodes: int, shard_size: int) -> list[float]:
    return shufflesharding.simulated_overlap(nodes, shard_size, OVERLAP_WORKLOADS)


def draw_overlap(nodes=8, shard_size=2):
    """The overlap distribution for ``nodes`` queues and shards of ``shard_size``."""
    shard_size = min(shard_size, nodes)
    figure, ax = plots.new_figure(
        8, 3.4, "The red bar: pairs of workloads that share every queue, so that one flooding its "
                "queues leaves the other none.",
        left=0.13, right=0.98, top=0.9, bottom=0.15)
    plots.plot_overlap(ax, nodes, shard_size,
                       shufflesharding.overlap_distribution(nodes, shard_size),
                       _simulated_overlap(nodes, shard_size))
    return figure


def overlap_explorer():
    """Queues (nodes) and shard size against how much two workloads share."""
    import ipywidgets as w

    return _explorer(
        w, draw_overlap,
        nodes=w.IntSlider(value=8, min=2, max=100, description="queues (N)", style=WIDE),
        shard_size=w.IntSlider(value=2, min=1, max=8, description="shard size (K)",
                               style=WIDE),
    )


TENANT_LIMITS = {"none": None, "10 a second per tenant": 10.0}


def draw_isolation(nodes=8, shard_size=2, hot_rate_per_s=150.0, tenant_limit="none"):
    """Every tenant's wait while one is hot: one shared queue, fixed shards, shuffle shards."""
    limit = TENANT_LIMITS[tenant_limit]
    runs = [isolation.simulate_isolation(layout, nodes, min(shard_size, nodes),
                                         float(hot_rate_per_s), limit)
            for layout in progress.steps(isolation.LAYOUTS, "layouts simulated")]
    figure, axes = plots.new_figure(
        11, 3.2, "Count the red tenants in each panel: how many others the hot tenant hurts under "
                 "each layout.",
        left=0.07, right=0.99, top=0.88, bottom=0.15, wspace=0.08, ncols=3, sharey=True)
    plots.plot_isolation(axes, runs, isolation.AFFECTED_WAIT_S)
    return figure


def isolation_explorer():
    """Queues, shard size, the hot tenant's rate and a per-tenant throttle, against who
    waits."""
    import ipywidgets as w

    return _explorer(
        w, draw_isolation,
        nodes=w.SelectionSlider(options=[4, 8, 12, 16], value=8, description="queues (N)",
                                style=WIDE),
        shard_size=w.IntSlider(value=2, min=1, max=4, description="shard size (K)",
                               style=WIDE),
        hot_rate_per_s=w.SelectionSlider(options=[0, 50, 150, 400], value=150,
                                         description="hot tenant (messages/s)", style=WIDE),
        tenant_limit=w.Dropdown(options=list(TENANT_LIMITS), value="none",
                                description="per-tenant throttle", style=WIDE),
    )
