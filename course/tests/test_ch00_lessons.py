"""Chapter 0's lessons: one call's failure points (what the caller knows, what the service
did), the widget that draws each of them, and the chapter's statements about them."""

import json
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from resilience.chapters import ch00_everything_fails as ch00  # noqa: E402
from resilience.chapters.ch00_everything_fails import (  # noqa: E402
    ANSWER,
    DONE,
    ERROR,
    NONE,
    NOTHING,
    NOWHERE,
    PART,
    TIMEOUT,
)

ROOT = Path(__file__).resolve().parents[2]

# What each failure point leaves behind, written out independently of the module's table:
# (what the caller knows, what the service did).
EXPECTED = {
    ("send", "lost"): (TIMEOUT, NONE),  # the connection never opens
    ("send", "slow"): (TIMEOUT, NONE),  # a connect timeout: the request never left
    ("send", "error"): (ERROR, NONE),  # refused
    ("request", "lost"): (TIMEOUT, NONE),  # dropped on the way
    ("request", "slow"): (TIMEOUT, DONE),  # arrives after the caller gave up: done anyway
    ("request", "error"): (ERROR, NONE),  # reset before the service had it all
    ("process", "lost"): (TIMEOUT, PART),  # crash partway
    ("process", "slow"): (TIMEOUT, DONE),  # finishes after the caller gave up
    ("process", "error"): (ERROR, PART),  # fails partway, says so
    ("reply", "lost"): (TIMEOUT, DONE),
    ("reply", "slow"): (TIMEOUT, DONE),
    ("reply", "error"): (ERROR, DONE),  # a 5xx after the work was saved
    ("response", "lost"): (TIMEOUT, DONE),
    ("response", "slow"): (TIMEOUT, DONE),
    ("response", "error"): (ERROR, DONE),
    ("read", "lost"): (NOTHING, DONE),  # the client crashed: nobody knows
    ("read", "slow"): (TIMEOUT, DONE),
    ("read", "error"): (ERROR, DONE),
}
POINTS = [(where, how) for where in ch00.STEPS for how in ch00.HOWS]


def test_every_failure_point_is_covered():
    assert sorted(EXPECTED) == sorted(POINTS)
    assert set(ch00.OUTCOMES) == set(POINTS) | {(NOWHERE, "")}


@pytest.mark.parametrize("where, how", POINTS, ids=[f"{w}-{h}" for w, h in POINTS])
def test_what_the_caller_knows_and_what_the_service_did(where, how):
    result = ch00.outcome(where, how)
    assert (result.caller, result.server) == EXPECTED[where, how], (
        f"when step {where!r} fails ({how}), the caller should know "
        f"{EXPECTED[where, how][0]} and the service should have done "
        f"{EXPECTED[where, how][1]}; the chapter says {result.caller} and {result.server}")
    assert result.story.endswith(".")


def test_the_call_that_works_gives_the_answer():
    assert ch00.outcome(NOWHERE, "lost")[:2] == (ANSWER, DONE)


def test_failures_before_the_service_do_nothing_and_after_the_work_leave_it_done():
    steps = list(ch00.STEPS)
    for (where, how), (_, server) in EXPECTED.items():
        if steps.index(where) > steps.index("process"):
            assert server == DONE, (where, how)
        if where == "send":
            assert server == NONE, (where, how)


@pytest.mark.parametrize("seen", [TIMEOUT, ERROR])
def test_a_timeout_or_an_error_does_not_say_whether_the_work_was_done(seen):
    """The chapter's point: the same view hides both outcomes, so a retry may repeat work."""
    found = ch00.same_view(seen)
    assert found[DONE] and found[NONE], found
    assert sum(len(points) for points in found.values()) == sum(
        1 for caller, _ in EXPECTED.values() if caller == seen)


def test_bad_choices_get_a_clear_error():
    with pytest.raises(ValueError, match="where is one of"):
        ch00.outcome("network", "lost")
    with pytest.raises(ValueError, match="how one of"):
        ch00.outcome("send", "late")


def _texts(figure) -> str:
    return " | ".join([t.get_text() for ax in figure.axes for t in ax.texts]
                      + [ax.get_title(loc="left") for ax in figure.axes])


@pytest.mark.parametrize("where, how", [*POINTS, (NOWHERE, "lost")],
                         ids=[f"{w}-{h}" for w, h in [*POINTS, (NOWHERE, "lost")]])
def test_every_choice_of_the_widget_draws_and_says_its_outcome(where, how):
    figure = ch00.draw_call(where=where, how=how)
    try:
        figure.canvas.draw()
        result = ch00.outcome(where, how)
        texts = _texts(figure)
        assert f"the caller knows {result.caller}; the service did {result.server}" in texts
        assert result.story in texts
        if where != NOWHERE:  # the failing step is marked in vermillion
            marked = [t for ax in figure.axes for t in ax.texts
                      if t.get_color() == ch00.BAD and t.get_weight() == "bold"]
            assert marked, f"{where} {how}: the failing step is not marked"
    finally:
        plt.close(figure)


def test_each_choice_draws_a_different_figure():
    """The widget's first control (where) must change the figure, as the browser test checks."""
    import io

    images = set()
    for where in [*ch00.STEPS, NOWHERE]:
        figure = ch00.draw_call(where=where, how="lost")
        png = io.BytesIO()
        figure.savefig(png, format="png")
        plt.close(figure)
        images.add(png.getvalue())
    assert len(images) == len(ch00.STEPS) + 1


def test_the_explorer_is_a_widget_whose_first_control_is_where_the_call_fails():
    import ipywidgets as w

    widget = ch00.failure_explorer()
    where, how, _figure = widget.children
    assert isinstance(where, w.Dropdown) and isinstance(how, w.Dropdown)
    assert [value for _, value in where.options] == [*ch00.STEPS, NOWHERE]
    assert where.value == "response" and how.value == "lost"


def _markdown(name: str) -> str:
    cells = json.loads((ROOT / "course" / name).read_text())["cells"]
    return " ".join(" ".join("".join(c["source"]).split())
                    for c in cells if c["cell_type"] == "markdown")


def test_the_chapter_shows_the_widget_and_points_to_every_later_chapter():
    cells = json.loads((ROOT / "course" / "00-everything-fails.ipynb").read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert any(source.rstrip().endswith("failure_explorer()") for source in sources)
    prose = _markdown("00-everything-fails.ipynb")
    for chapter in sorted((ROOT / "course").glob("0[1-8]-*.ipynb")):
        assert f"]({chapter.name})" in prose, f"chapter 0's map does not point to {chapter.name}"
    for words in ("synchronous", "asynchronous", "event source mapping", "Kinesis", "SQS",
                  "idempotent"):
        assert words in prose
