"""The widgets build, and their drawing functions draw what they promise."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from resilience import widgets  # noqa: E402


def test_jitter_figure_has_curves_for_each_strategy_and_a_timeline():
    figure = widgets.draw_jitter(strategies=("full", "exponential"), clients=30)
    calls_axis, _time_axis, timeline = figure.axes
    assert len(calls_axis.get_legend().get_texts()) == 2
    assert "30 clients" in timeline.get_title(loc="left")
    plt.close(figure)


def test_amplification_figure_shows_243_without_a_budget():
    figure = widgets.draw_amplification(layers=5, attempts=3, failure_rate=1.0)
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert "243" in labels
    plt.close(figure)


def test_explorers_are_interactive_widgets_with_their_controls():
    jitter_widget = widgets.jitter_explorer()
    names = {child.description for child in jitter_widget.children[:-1]}
    assert names == {"strategies", "clients", "base (ms)", "cap (ms)"}
    amplification_widget = widgets.amplification_explorer()
    assert len(amplification_widget.children) == 4
    plt.close("all")
