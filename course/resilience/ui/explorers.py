"""The machinery behind every chapter's widgets: a plain drawing function with keyword
defaults, wired to its controls by ``ipywidgets.interactive_output``, as in ipywidgets' own
examples.

``explorer`` returns the widget: its controls, then the figure with a progress bar (shown
while a slow simulation runs) and an output area that shows an error if drawing fails. The
figure is a PNG in an ``Image`` widget, part of the widget's own state: the browser shows it
whenever the widget appears, with no race between the kernel's output messages and the
widget's view (an ``interactive`` figure, sent as output while its view was still being
built, was sometimes lost).
"""

from __future__ import annotations

import traceback

from resilience.ui import progress
from resilience.ui.figures import png_of

WIDE = {"description_width": "initial"}  # controls named after AWS parameters: room for them


def figure_widget(w, draw, controls: dict):
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
        image.value = png_of(figure)

    try:
        redraw(**{name: control.value for name, control in controls.items()})
        failure = None
    except Exception:  # shown in the widget, as a failure of any later redraw would be
        failure = traceback.format_exc()
    errors = w.interactive_output(redraw, controls)
    if failure:
        errors.append_stderr(failure)
    return w.VBox([bar.widget, image, errors])


def explorer(w, draw, **controls):
    """Controls, then the figure ``draw`` makes from their values."""
    return w.VBox([*controls.values(), figure_widget(w, draw, controls)])
