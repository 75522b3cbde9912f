"""Every figure of the course reads at a glance: one colour-blind-safe palette, labelled
axes with units, and a one-line caption that says what to notice, inside the figure."""

import importlib
import pkgutil
import random
import re

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import resilience.chapters  # noqa: E402
from resilience.models import timeouts  # noqa: E402
from resilience.ui import figures  # noqa: E402

CHAPTERS = [importlib.import_module(f"resilience.chapters.{module.name}")
            for module in pkgutil.iter_modules(resilience.chapters.__path__)]
DRAWINGS = sorted(f"{chapter.__name__}.{name}" for chapter in CHAPTERS for name in dir(chapter)
                  if name.startswith("draw_"))
# A label for a quantity measured in units must name them: "time (s)", not "time".
NEEDS_A_UNIT = re.compile(r"\b(time|latency|age|wait|timeout|load|rate)\b")
EDGE_PX = 5  # the caption ends at least this far from the figure's right edge
ALLOWED = {to_hex(c) for c in figures.PALETTE} | {"#ffffff", "#000000"}


def _draw(qualified_name: str):
    """Draw the figure ``module.draw_name`` makes with its defaults (a latency histogram
    needs a sample)."""
    module, name = qualified_name.rsplit(".", 1)
    draw = getattr(importlib.import_module(module), name)
    if name == "draw_latency_histogram":
        return draw(timeouts.Dependency().sample(2_000, random.Random(1)))
    return draw()


@pytest.fixture(scope="module", params=DRAWINGS)
def figure(request):
    figure = _draw(request.param)
    figure.canvas.draw()
    yield figure
    plt.close(figure)


def test_every_figure_has_a_one_line_caption_that_fits(figure):
    captions = [t for t in figure.texts if t.get_gid() == "caption"]
    assert len(captions) == 1, "draw it with figures.new_figure(..., caption)"
    caption = captions[0]
    assert caption.get_text() and "\n" not in caption.get_text()
    box = caption.get_window_extent()
    assert 0 <= box.x0 and box.x1 <= figure.bbox.width - EDGE_PX, "the caption runs off"


def test_every_axis_is_labelled_with_its_unit(figure):
    for ax in figure.axes:
        for label, ticks in ((ax.get_xlabel(), ax.get_xticklabels()),
                             (ax.get_ylabel(), ax.get_yticklabels())):
            shows_values = any(t.get_text() and t.get_visible() for t in ticks)
            assert label or not shows_values, f"an axis of {ax.get_title(loc='left')!r} " \
                                              "has values but no label"
            if NEEDS_A_UNIT.search(label):
                assert "(" in label, f"{label!r} needs its unit, e.g. 'time (s)'"


def _colours(ax):
    """Every colour the data of ``ax`` is drawn in (not its background or its text)."""
    for line in ax.get_lines():
        yield line.get_color()
        if line.get_marker() not in (None, "None", ""):
            yield line.get_markerfacecolor()
    for patch in ax.patches:
        yield patch.get_facecolor()
    for collection in ax.collections:
        yield from collection.get_facecolors()


def test_every_colour_comes_from_the_palette(figure):
    for ax in figure.axes:
        used = {to_hex(colour) for colour in _colours(ax)}
        assert used and used <= ALLOWED, (
            f"{ax.get_title(loc='left')!r} draws in {used - ALLOWED}: use figures.GOOD, BAD, "
            "WARN, INFO or NEUTRAL (Okabe-Ito)")
