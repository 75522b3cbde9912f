"""The widgets build, and their drawing functions draw what they promise."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from resilience.chapters import (  # noqa: E402
    ch01_timeouts,
    ch02_retries,
    ch03_partial_failures,
    ch04_poison_pills,
    ch05_load_shedding,
    ch06_queue_backlogs,
    ch07_shuffle_sharding,
    ch08_idempotency,
)
from resilience.ui import progress  # noqa: E402


def test_jitter_sweep_has_a_curve_for_each_strategy():
    figure = ch02_retries.draw_jitter_sweep(strategies=("full", "exponential"))
    calls_axis, _time_axis = figure.axes
    assert len(calls_axis.get_legend().get_texts()) == 2
    plt.close(figure)


def test_jitter_timeline_follows_one_client_of_the_last_strategy():
    figure = ch02_retries.draw_jitter_timeline(strategies=("exponential", "full"), clients=30)
    title = figure.axes[0].get_title(loc="left")
    assert "full jitter with 30 clients" in title
    plt.close(figure)


def test_amplification_figure_shows_243_without_a_budget():
    figure = ch02_retries.draw_amplification(layers=5, attempts=3, failure_rate=1.0)
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert "243" in labels
    plt.close(figure)


def test_explorers_are_widgets_with_their_controls():
    controls, _sweep, _timeline = ch02_retries.jitter_explorer().children
    strategies, sliders = controls.children
    names = {strategies.description} | {slider.description for slider in sliders.children}
    assert names == {"strategies", "clients", "base (ms)", "cap (ms)"}
    amplification_widget = ch02_retries.amplification_explorer()
    assert len(amplification_widget.children) == 4  # three controls, the figure
    plt.close("all")


def test_timeout_figures_sweep_and_follow_one_run():
    sweep = ch01_timeouts.draw_timeout_sweep(retries=1)
    assert len(sweep.axes[0].get_lines()) == 3 and "1 retries" in sweep.axes[0].get_title(
        loc="left")
    timeline = ch01_timeouts.draw_producer_timeline(timeout_s=30.0, retries=1)
    assert "Timeout 30 s, 1 retries" in timeline.axes[0].get_title(loc="left")
    controls, _sweep, _timeline = ch01_timeouts.timeout_explorer().children
    assert [c.description for c in controls.children] == ["timeout", "retries"]
    plt.close("all")


def test_burst_figure_has_a_line_per_policy():
    figure = ch03_partial_failures.draw_burst(shard_count=2, records=4000, max_rounds=4)
    assert len(figure.axes[0].get_legend().get_texts()) == 3
    assert len(ch03_partial_failures.burst_explorer().children) == 4
    plt.close("all")


def _caption(figure) -> str:
    return next(t.get_text() for t in figure.texts if t.get_gid() == "caption")


def test_shard_explorer_starts_from_aws_defaults():
    explorer = ch04_poison_pills.shard_explorer()
    assert [c.description for c in explorer.children[:-1]] == [
        "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError",
        "ReportBatchItemFailures", "OnFailure destination", "capacity ×"]
    assert [c.value for c in explorer.children[:2]] == [-1, -1]
    plt.close("all")


def test_queue_explorer_starts_at_six_times_the_function_timeout():
    explorer = ch04_poison_pills.queue_explorer()
    visibility, timeout, *_ = explorer.children
    assert [c.description for c in explorer.children[:-1]] == [
        "visibility timeout (s)", "function timeout (s)", "run time per batch (s)",
        "maxReceiveCount", "ReportBatchItemFailures"]
    assert visibility.value == 6 * timeout.value
    assert visibility.value != visibility.options[-1]  # moving it up runs a new story
    plt.close("all")


def test_queue_figure_shows_lambdas_refusal_instead_of_a_run_aws_would_not_make():
    """A function timeout over the visibility timeout: no story, Lambda's error instead."""
    figure = ch04_poison_pills.draw_queue_story(visibility_timeout_s=10, function_timeout_s=30)
    (ax,) = figure.axes
    texts = " ".join(t.get_text() for t in ax.texts)
    assert not ax.axison and not ax.get_lines()
    assert ("InvalidParameterValueException: Queue visibility timeout: 10 seconds is less than "
            "Function timeout: 30 seconds") in texts
    assert "AWS refuses the mapping" in _caption(figure)
    plt.close(figure)


def test_queue_figure_says_when_aws_accepts_less_than_its_recommended_margin():
    accepted = ch04_poison_pills.draw_queue_story(visibility_timeout_s=60, function_timeout_s=30)
    assert accepted.axes[0].get_lines() and "under AWS's 6× (180 s)" in _caption(accepted)
    timed_out = ch04_poison_pills.draw_queue_story(function_timeout_s=5, visibility_timeout_s=30,
                                                   function_s=10)
    assert "Every batch times out" in _caption(timed_out)
    assert "60 messages in the DLQ" in timed_out.axes[0].get_title(loc="left")
    plt.close("all")


def test_duplicates_figure_counts_orders_and_causes():
    figure = ch08_idempotency.draw_duplicate_story("message-id")
    orders, causes = figure.axes
    assert [t.get_text() for t in orders.get_xticklabels()] == ["never", "once", "twice",
                                                                 "3+ times"]
    assert "orders charged more than once" in orders.get_title(loc="left")
    assert len(causes.get_legend().get_texts()) == 2
    explorer = ch08_idempotency.duplicates_explorer()
    assert [c.description for c in explorer.children[:-1]] == [
        "strategy", "producer retries", "payment timeouts", "crashes after charging"]
    strategy = explorer.children[0]
    assert (strategy.value, strategy.label) == ("none", "no idempotency")
    assert [label for label, _ in strategy.options] == [
        "no idempotency", "store keyed by messageId, key to the payment API",
        "store keyed by order, no key to the payment API",
        "store keyed by order, key to the payment API"]
    plt.close("all")


def test_load_shedding_figures_and_their_controls():
    curve = ch05_load_shedding.draw_goodput_curve("limit")
    assert [t.get_text() for t in curve.axes[0].get_legend().get_texts()] == [
        "offered (first tries)", "capacity", "throughput", "goodput"]
    spike = ch05_load_shedding.draw_spike_story(retries=0)
    assert "Goodput over the last 30 s" in spike.axes[0].get_title(loc="left")
    assert [c.description for c in ch05_load_shedding.goodput_explorer().children[:-1]] == [
        "protection", "client timeout (s)", "retries"]
    spike_widget = ch05_load_shedding.spike_explorer()
    assert [c.description for c in spike_widget.children[:-1]] == [
        "protection", "clients retry", "retries", "base load (requests/s)", "spike (x load)",
        "spike length (s)"]
    policy = ch05_load_shedding.goodput_explorer().children[0]
    assert (policy.value, policy.label) == ("none", "none (FIFO, no limit)")
    assert [label for label, _ in policy.options] == [
        "none (FIFO, no limit)", "concurrency limit", "drop past deadline", "LIFO"]
    retry_style, base_load = spike_widget.children[1], spike_widget.children[3]
    assert (retry_style.value, retry_style.label) == ("at once", "at once")
    assert [label for label, _ in retry_style.options] == [
        "at once", "backoff with full jitter", "retry budget (10%)", "budget and backoff"]
    assert base_load.value == 60 and base_load.options == (30, 40, 50, 60, 70, 80, 90)
    plt.close("all")


def test_spike_widget_draws_every_option_and_says_whether_goodput_recovered():
    titles = {}
    settings = ([{"policy": policy} for policy in ch05_load_shedding.POLICIES]
                + [{"retry_style": style} for style in ch05_load_shedding.RETRY_STYLES]
                + [{"base_per_s": base} for base in (30, 90)])
    for setting in settings:
        figure = ch05_load_shedding.draw_spike_story(**setting)
        ax = figure.axes[0]
        assert "capacity" in [t.get_text() for t in ax.get_legend().get_texts()]
        titles[tuple(setting.items())] = ax.get_title(loc="left")
        plt.close(figure)
    assert titles[(("policy", "none"),)].endswith("of 60 sent (not recovered)")
    assert titles[(("policy", "limit"),)].endswith("of 60 sent (recovered)")
    assert titles[(("retry_style", "backoff"),)].endswith("(not recovered)")
    assert titles[(("retry_style", "budget"),)].endswith("(recovered)")
    assert titles[(("base_per_s", 30),)].endswith("of 30 sent (recovered)")


def test_backlog_figure_and_its_controls():
    figure = ch06_queue_backlogs.draw_backlog("spill-over", "outage", length_s=30)
    depth, age = figure.axes
    assert [t.get_text() for t in depth.get_legend().get_texts()] == [
        "main queue", "low-priority queue"]
    assert depth.get_title(loc="left").startswith("spill-over: backlog drained")
    assert "Fresh again" in age.get_title(loc="left")
    lifo = ch06_queue_backlogs.draw_backlog("lifo").axes[0]
    assert lifo.get_title(loc="left").startswith("LIFO: backlog drained")
    explorer = ch06_queue_backlogs.backlog_explorer()
    assert [c.description for c in explorer.children[:-1]] == [
        "strategy", "disturbance", "surge (x rate)", "length (s)"]
    strategy = explorer.children[0]
    assert (strategy.value, strategy.label) == ("fifo", "FIFO")
    assert [label for label, _ in strategy.options] == ["FIFO", "LIFO", "TTL", "spill-over"]
    plt.close("all")


def test_overlap_figure_and_its_controls():
    figure = ch07_shuffle_sharding.draw_overlap(nodes=8, shard_size=2)
    ax = figure.axes[0]
    assert "28 shards; all 2 shared with 3.6% of workloads" in ax.get_title(loc="left")
    assert [t.get_text() for t in ax.texts] == ["53.6%", "42.9%", "3.57%"]
    rarest = ch07_shuffle_sharding.draw_overlap(nodes=100, shard_size=5).axes[0]
    assert "0.0000013%" in rarest.get_title(loc="left")
    whole = ch07_shuffle_sharding.draw_overlap(nodes=3, shard_size=8).axes[0]
    assert len(whole.patches) == 4  # K = N
    assert [c.description for c in ch07_shuffle_sharding.overlap_explorer().children[:-1]] == [
        "queues (N)", "shard size (K)"]
    plt.close("all")


def test_isolation_figure_and_its_controls():
    figure = ch07_shuffle_sharding.draw_isolation()
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    assert titles == ["one shared queue: 199 of 199 hurt", "fixed shards: 24 of 199 hurt",
                      "shuffle shards: 6 of 199 hurt"]
    throttled = ch07_shuffle_sharding.draw_isolation(tenant_limit="10/s")
    assert all(ax.get_title(loc="left").endswith(": 0 of 199 hurt") for ax in throttled.axes)
    explorer = ch07_shuffle_sharding.isolation_explorer()
    assert [c.description for c in explorer.children[:-1]] == [
        "queues (N)", "shard size (K)", "hot tenant (messages/s)", "per-tenant throttle"]
    throttle = explorer.children[3]
    assert (throttle.value, throttle.label) == ("none", "none")
    assert [label for label, _ in throttle.options] == ["none", "10 a second per tenant"]
    plt.close("all")


def test_a_figure_is_a_png_in_the_widget_and_redraws_when_a_control_moves():
    explorer = ch02_retries.amplification_explorer()
    layers, *_, figure = explorer.children
    _bar, image, errors = figure.children
    before = bytes(image.value)
    assert before.startswith(b"\x89PNG") and not errors.outputs
    layers.value = 2
    assert bytes(image.value).startswith(b"\x89PNG") and bytes(image.value) != before
    plt.close("all")


def test_a_widget_draws_once_per_setting(monkeypatch):
    """The first draw happens as the widget is made, and interactive_output does not draw it
    again. (That its progress bar shows under the cell, not in the widget's error output,
    the browser tests check.)"""
    draws = []
    draw = ch02_retries.draw_amplification
    monkeypatch.setattr(ch02_retries, "draw_amplification",
                        lambda **settings: draws.append(settings) or draw(**settings))
    layers, *_, figure = ch02_retries.amplification_explorer().children
    assert len(draws) == 1 and not figure.children[-1].outputs
    layers.value = 3
    assert len(draws) == 2 and draws[-1]["layers"] == 3
    plt.close("all")


def test_a_slow_redraw_shows_the_widgets_bar_then_hides_it(monkeypatch):
    draw = ch02_retries.draw_amplification

    def stepped(**settings):
        for _ in progress.steps(range(3), "layers simulated"):
            pass
        return draw(**settings)

    monkeypatch.setattr(ch02_retries, "draw_amplification", stepped)
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    layers, *_, figure = ch02_retries.amplification_explorer().children
    box = figure.children[0]
    displays = []
    box.layout.observe(lambda change: displays.append(change["new"]), "display")
    layers.value = 2
    assert displays == ["flex", "none"]  # shown while it ran, hidden once drawn
    plt.close("all")


def test_a_figure_that_cannot_be_drawn_says_why_in_the_widget(monkeypatch):
    def broken(**settings):
        raise ValueError("no such setting")

    monkeypatch.setattr(ch02_retries, "draw_amplification", broken)
    *_, figure = ch02_retries.amplification_explorer().children
    (output,) = figure.children[-1].outputs
    assert "ValueError: no such setting" in output["text"]
