"""The start page a learner lands on: every chapter and lab on the path, every link alive,
the README's Binder badge and `make start` opening it, and every time it states the one the
notebooks give (``resilience.ui.effort``)."""

import json
import re
from pathlib import Path

import nbformat

from resilience.ui import effort

ROOT = Path(__file__).resolve().parents[2]
START = ROOT / "course" / "start-here.ipynb"
# A row of the path: | 4 | [chapter](...) | what it teaches | 20 min | [lab 4](...), about 150 min |
PATH_ROW = re.compile(r"^\| (\d+) \|.*\| (\d+) min \| "
                      r"(?:no lab|\[lab \d+\]\([^)]+\), about (\d+) min) \|$", re.MULTILINE)


def _text() -> str:
    return "\n".join("".join(c["source"]) for c in json.loads(START.read_text())["cells"])


def test_every_chapter_and_lab_is_on_the_path():
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", _text())
    chapters = sorted(p.name for p in (ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
    labs = sorted(f"../labs/{p.parent.name}/{p.name}" for p in (ROOT / "labs").glob("*/*.ipynb"))
    assert [link for link in links if not link.startswith("..")] == chapters
    assert sorted(link for link in links if link.startswith("..")) == labs


def test_every_link_resolves():
    for link in re.findall(r"\]\(([^)#]+)\)", _text()):
        assert (START.parent / link).resolve().is_file(), link


def test_the_badge_and_make_start_open_it():
    assert "urlpath=lab/tree/course/start-here.ipynb" in (ROOT / "README.md").read_text()
    assert "course/start-here.ipynb" in (ROOT / "Makefile").read_text()


def test_every_time_on_the_path_is_the_one_the_notebooks_give():
    """Recomputed from the chapters and the labs' source on every run, so that a chapter
    or a lab that grows cannot leave a stale time behind."""
    stated = {int(number): (int(read), int(work) if work else None)
              for number, read, work in PATH_ROW.findall(_text())}
    computed = effort.estimates()
    wrong = [f"chapter {number}: the page says {stated.get(number)}, the notebooks give "
             f"{minutes} (chapter, lab)" for number, minutes in computed.items()
             if stated.get(number) != minutes]
    assert not wrong, ("update the path table of course/start-here.ipynb from "
                       "`.venv/bin/python -m resilience.ui.effort`: " + "; ".join(wrong))
    assert f"All of it takes about {effort.total_hours()} hours." in _text()


def test_the_page_states_the_rates_the_times_are_made_with():
    text = " ".join(_text().split())
    for rate in (f"its text at {effort.READING_WORDS_PER_MINUTE} words a minute",
                 f"plus {effort.EXPLORER_MINUTES} minutes to try each widget",
                 f"plus {effort.REQUIREMENT_MINUTES} minutes for each numbered requirement",
                 f"{effort.ANSWER_CELL_MINUTES} for each answer cell",
                 f"{effort.SOLUTION_LINE_MINUTES} for each line of code in the reference",
                 f"rounded to {effort.ROUND_TO_MINUTES} minutes"):
        assert rate in text, f"the start page no longer says how its times are made: {rate!r}"


def test_what_the_estimates_count(tmp_path):
    """Prose words (not code blocks, not a table's bars), widgets, requirements once each,
    answer cells, and the solution's lines of code (not blanks, not comments)."""
    answer = nbformat.v4.new_code_cell(
        "def f():\n    ### BEGIN SOLUTION\n    # why\n\n    return 1\n    ### END SOLUTION",
        metadata={"nbgrader": {"solution": True, "grade_id": "f"}})
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Two words\n\n```python\nnot = prose\n```\n| a | b |"),
        nbformat.v4.new_markdown_cell("- **1.1** Return `1`; **1.1** again, **1.2** too."),
        nbformat.v4.new_code_cell("jitter_explorer()"),
        nbformat.v4.new_code_cell("jitter_explorer  # named, not shown"), answer])
    path = tmp_path / "01-x.ipynb"
    nbformat.write(notebook, path)
    assert effort.markdown_words(path) == 2 + 2 + 7  # the table's a and b; **1.1** too
    assert (effort.explorers(path), effort.requirements(path)) == (1, 2)
    assert (effort.answer_cells(path), effort.solution_lines(path)) == (1, 1)
    assert [effort.rounded(m) for m in (0, 7.4, 7.5, 12.6)] == [5, 5, 10, 15]
