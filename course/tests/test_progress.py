"""A slow simulation shows a progress bar while it runs; quick work and scripts show none."""

from resilience.ui import progress


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def test_outside_a_notebook_steps_is_a_plain_loop():
    assert list(progress.steps(range(3), "things")) == [0, 1, 2]


def test_a_bar_shows_only_once_work_has_taken_a_while_and_hides_at_the_end():
    clock = FakeClock()
    bar = progress.Bar(clock)
    seen = []
    with progress.watched_by(bar):
        for step in progress.steps(range(10), "offered loads simulated"):
            seen.append((bar.shown, bar.percent, bar.text))
            clock.now_s += 0.1 if step < 3 else 0.5
    assert [shown for shown, *_ in seen[:4]] == [False] * 4  # at 0.3 s: not yet
    assert seen[4] == (True, 40, "offered loads simulated: 4 of 10")  # at 0.8 s
    assert seen[-1] == (True, 90, "offered loads simulated: 9 of 10")
    assert not bar.shown and bar.percent == 0  # hidden, ready for the next redraw


def test_the_time_before_the_first_step_counts():
    clock = FakeClock()
    bar = progress.Bar(clock)
    with progress.watched_by(bar):
        clock.now_s += 0.6  # setting up the simulation
        shown = [bar.shown for _ in progress.steps(range(3), "steps")]
    assert shown == [True] * 3


def test_a_bar_under_a_cell_makes_no_widgets_for_quick_work(monkeypatch):
    made = []

    class CellBar(progress.CellBar):
        def __init__(self) -> None:
            super().__init__(FakeClock())
            made.append(self)

        def finish(self) -> None:
            self.widgets_at_the_end = self._widgets
            super().finish()

    monkeypatch.setattr(progress, "_in_a_notebook", lambda: True)
    monkeypatch.setattr(progress, "CellBar", CellBar)
    list(progress.steps(range(100), "steps"))
    assert made and made[0].widgets_at_the_end is None  # no widget models left behind


def test_quick_work_never_shows_a_bar():
    bar = progress.Bar(FakeClock())
    with progress.watched_by(bar):
        shown = [bar.shown for _ in progress.steps(range(100), "steps")]
    assert not any(shown)


def test_only_the_outer_loop_reports():
    clock = FakeClock()
    bar = progress.Bar(clock)
    labels = set()
    with progress.watched_by(bar):
        for _ in progress.steps(range(4), "outer"):
            clock.now_s += 1
            for _ in progress.steps(range(4), "inner"):
                labels.add(bar.text.split(":")[0])
    assert labels - {""} == {"outer"}  # blank until shown


def test_in_a_notebook_a_bar_appears_under_the_cell_and_goes(monkeypatch):
    clock = FakeClock()
    shown = []

    class CellBar(progress.CellBar):
        def __init__(self) -> None:
            super().__init__(clock)
            self.was_shown = False
            shown.append(self)

        def update(self, label: str, done: int, total: int) -> None:
            super().update(label, done, total)
            self.was_shown |= self.shown
            self.made = self._widgets or ()

    monkeypatch.setattr(progress, "_in_a_notebook", lambda: True)
    monkeypatch.setattr(progress, "CellBar", CellBar)
    for _ in progress.steps(range(3), "settings simulated"):
        clock.now_s += 1
    (bar,) = shown
    assert bar.was_shown  # after a second of work
    assert bar.made and all(widget.comm is None for widget in bar.made)  # closed: gone
