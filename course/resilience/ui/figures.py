"""The course's figure style: one palette, one set of font sizes, a caption under every
figure, and the axis helpers every chapter's figures use.

Every figure comes from ``new_figure``, with a one-line caption under it that says what to
notice. Importing this module sets the course's style (``COURSE_STYLE``) for every figure in
the notebook, a learner's own included.
"""

from __future__ import annotations

import io
import math
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.ticker import FuncFormatter, NullLocator
from matplotlib.typing import RcKeyType

# Okabe and Ito's palette, which readers with any common colour-vision deficiency can tell
# apart: one meaning per colour across the course (good = green, bad = vermillion, ...).
GOOD = "#009E73"  # bluish green: work done
BAD = "#D55E00"  # vermillion: work lost
WARN = "#E69F00"  # orange: work wasted, or failed after trying
INFO = "#0072B2"  # blue: load, capacity in use
NEUTRAL = "#999999"  # grey: the baseline
PALETTE = (GOOD, BAD, WARN, INFO, NEUTRAL)
CAPTION_COLOUR = "#333333"
FIGURE_DPI = 100  # pixels per inch of every figure, and of the widgets' PNGs

COURSE_STYLE: dict[RcKeyType, Any] = {
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


def png_of(figure) -> bytes:
    """A drawn figure as PNG bytes, at the course's resolution; the figure is closed, so
    that redrawing a widget or a page of figures holds no figure open."""
    try:
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=FIGURE_DPI)
    finally:
        plt.close(figure)
    return png.getvalue()


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


def percent(share: float, digits: int = 2) -> str:
    """A percentage to ``digits`` significant digits, without an exponent: 0.0000013%."""
    if share <= 0:
        return "0%"
    decimals = max(0, digits - 1 - math.floor(math.log10(share)))
    return f"{share:.{decimals}f}%"
