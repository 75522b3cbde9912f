"""Progress of a long simulation, shown while it runs.

A simulation made of many steps goes through them with ``steps(items, label)``. When no
one watches (tests, the grader, scripts) that is a plain loop. In a Jupyter kernel, a bar
appears under the running cell once the work has taken ``SHOW_AFTER_S``, and goes away
when it ends; a widget that redraws from simulations shows the bar inside itself instead
(``watched_by``). Short work never shows a bar: only a wait a person would notice does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

# Work shorter than this shows no bar: a wait under a second feels live. The browser tests
# set it to 0, so that every stepped simulation shows its bar whatever the machine's speed.
SHOW_AFTER_S = float(os.environ.get("RESILIENCE_PROGRESS_AFTER_S", "0.5"))


class Bar:
    """A progress bar with a label, hidden until the work it watches has run
    ``SHOW_AFTER_S`` (counted from ``start``: setup before the first step counts too)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started_s: float | None = None
        self.busy = False  # reporting one loop's steps: loops inside it stay quiet
        self._widgets: tuple | None = None  # (box, bar, label), made when first needed

    def _made(self) -> tuple:
        """(box, bar, label): the widgets, made the first time they are needed."""
        if self._widgets is None:
            import ipywidgets as w

            bar = w.IntProgress(value=0, min=0, max=100, bar_style="info")
            label = w.Label()
            self._widgets = (w.HBox([bar, label], layout=w.Layout(display="none")), bar,
                             label)
        return self._widgets

    @property
    def widget(self):
        """The box that holds the bar and its label (hidden while nothing shows)."""
        return self._made()[0]

    @property
    def shown(self) -> bool:
        return self._widgets is not None and self.widget.layout.display != "none"

    @property
    def percent(self) -> int:
        return self._widgets[1].value if self._widgets else 0

    @property
    def text(self) -> str:
        return self._widgets[2].value if self._widgets else ""

    def start(self) -> float:
        """The work begins now (returns when)."""
        self.started_s = self.clock()
        return self.started_s

    def update(self, label: str, done: int, total: int) -> None:
        """``done`` of ``total`` steps of ``label``: shown once the work has taken a while,
        redrawn only when the whole percentage moves (at most 100 messages to the page)."""
        started_s = self.start() if self.started_s is None else self.started_s
        if not self.shown and self.clock() - started_s < SHOW_AFTER_S:
            return
        percent = 100 * done // max(1, total)
        if not self.shown or percent != self.percent:
            box, bar, text = self._made()
            bar.value, text.value = percent, f"{label}: {done} of {total}"
            box.layout.display = "flex"

    def finish(self) -> None:
        """The work is over: hide the bar, ready for the next piece of work."""
        self.started_s = None
        if self._widgets is not None:
            self.widget.layout.display = "none"
            self._widgets[1].value = 0


class CellBar(Bar):
    """A bar under the running cell, displayed the first time it is shown and removed from
    the page, its widgets closed, when the work ends."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(clock)
        self.handle = None

    def update(self, label: str, done: int, total: int) -> None:
        super().update(label, done, total)
        if self.shown and self.handle is None:
            from IPython.display import display

            self.handle = display(self.widget, display_id=True)

    def finish(self) -> None:
        if self.handle is not None:
            from IPython.display import HTML

            self.handle.update(HTML(""))
        if self._widgets is not None:
            for widget in self._widgets:
                widget.layout.close()
                widget.close()
            self._widgets = None


_watchers: list[Bar] = []  # innermost last: the kernel runs one cell or one redraw at a time


@contextmanager
def watched_by(bar: Bar):
    """Send the progress of any ``steps`` run inside this block to ``bar``; the work starts
    now, so the time before the first step counts towards showing the bar."""
    bar.start()
    _watchers.append(bar)
    try:
        yield bar
    finally:
        _watchers.remove(bar)
        bar.finish()


def _in_a_notebook() -> bool:
    """True in a Jupyter kernel (JupyterLab, or nbclient running a notebook), but not when
    nbgrader grades one."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return (shell is not None and type(shell).__name__ == "ZMQInteractiveShell"
            and not os.environ.get("RESILIENCE_GRADING"))


def steps(items: Iterable, label: str) -> Iterator:
    """Each of ``items`` in turn, reporting progress to whoever watches: a widget's bar, or
    in a notebook a bar under the cell; nobody otherwise. Steps within steps report nothing:
    the outer loop's progress is the one a person can read."""
    items = list(items)
    if not _watchers and _in_a_notebook():
        with watched_by(CellBar()) as bar:
            yield from _reported(items, label, bar)
    elif _watchers and not _watchers[-1].busy:
        yield from _reported(items, label, _watchers[-1])
    else:
        yield from items


def _reported(items: list, label: str, bar: Bar) -> Iterator:
    bar.busy = True
    try:
        for done, item in enumerate(items):
            bar.update(label, done, len(items))
            yield item
        bar.update(label, len(items), len(items))
    finally:
        bar.busy = False
