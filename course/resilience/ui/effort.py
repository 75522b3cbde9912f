"""How long each chapter and each lab takes a learner, estimated from the notebooks
themselves: the start page's times.

The course has no record of how long learners take, so the times are computed from what a
learner must read, try and write, at rates stated here once:

- a chapter: its markdown's words (fenced code blocks left out) at
  ``READING_WORDS_PER_MINUTE``, plus ``EXPLORER_MINUTES`` to try each widget;
- a lab: its instructions read the same way, plus ``REQUIREMENT_MINUTES`` for each numbered
  requirement (``**2.4**``), ``ANSWER_CELL_MINUTES`` for each answer cell and
  ``SOLUTION_LINE_MINUTES`` for each line of the reference solution (between nbgrader's
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``; blank lines and comments not counted).

Running the cells is left out, being small beside the reading: measured on 2026-11-29 with
``jupyter nbconvert --execute`` on two cores (kernel start included), a chapter took 8 to
36 s (chapter 4, while it was being extended and the machine shared, up to 64 s), and a
lab's solution, its grading cell included, 20 to 46 s.

``course/tests/test_start_page.py`` recomputes every time on the start page from the
notebooks; ``python -m resilience.ui.effort`` prints them and what each is made of.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

COURSE_DIR = Path(__file__).resolve().parents[2]  # course/: the chapters
LAB_SOURCE_DIR = COURSE_DIR.parent / "grader" / "source"  # the labs, solutions included

# Brysbaert (2019), "How many words do we read per minute?", J. Memory and Language 109:
# adults read English non-fiction silently at 238 words a minute, most at 175 to 300.
# Technical prose read to learn it goes slower than the average: 200.
READING_WORDS_PER_MINUTE = 200
EXPLORER_MINUTES = 5  # to move each control of one widget and see what its figure shows
REQUIREMENT_MINUTES = 2  # to meet one numbered requirement and pass the test that checks it
ANSWER_CELL_MINUTES = 3  # to start one answer: its signature, its inputs, its test cell
SOLUTION_LINE_MINUTES = 1  # to write, run and fix one line of code
ROUND_TO_MINUTES = 5

FENCED_CODE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
WORD = re.compile(r"\w")  # a token with a letter or digit is a word; a table's | is not
EXPLORER_CALL = re.compile(r"\w+_explorer\(\)\s*$")  # a cell that shows a widget
REQUIREMENT = re.compile(r"\*\*(\d+\.\d+)\*\*")  # a numbered requirement, as labs print it
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)


@dataclass(frozen=True)
class Chapter:
    """What a chapter asks of a learner: words to read and widgets to try."""

    words: int
    explorers: int

    @property
    def minutes(self) -> int:
        return rounded(self.words / READING_WORDS_PER_MINUTE
                       + self.explorers * EXPLORER_MINUTES)


@dataclass(frozen=True)
class Lab:
    """What a lab asks of a learner: instructions to read, requirements to meet, answer
    cells to fill and (as the reference solution measures it) code to write."""

    words: int
    requirements: int
    answers: int
    solution_lines: int

    @property
    def minutes(self) -> int:
        return rounded(self.words / READING_WORDS_PER_MINUTE
                       + self.requirements * REQUIREMENT_MINUTES
                       + self.answers * ANSWER_CELL_MINUTES
                       + self.solution_lines * SOLUTION_LINE_MINUTES)


def rounded(minutes: float) -> int:
    """``minutes`` to the nearest ``ROUND_TO_MINUTES`` (halves up), never below it: an
    estimate claims no more precision than it has."""
    return ROUND_TO_MINUTES * max(1, math.floor(minutes / ROUND_TO_MINUTES + 0.5))


def _cells(notebook: Path, cell_type: str) -> list[str]:
    """The sources of a notebook's cells of one type, in order."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == cell_type]


def markdown_words(notebook: Path) -> int:
    """The words a learner reads in a notebook's markdown; code blocks are not prose."""
    text = FENCED_CODE.sub("", "\n".join(_cells(notebook, "markdown")))
    return sum(1 for token in text.split() if WORD.search(token))


def explorers(notebook: Path) -> int:
    """The widgets a notebook shows: code cells that end by calling an ``*_explorer()``."""
    return sum(1 for source in _cells(notebook, "code") if EXPLORER_CALL.search(source))


def requirements(notebook: Path) -> int:
    """The numbered requirements a lab's instructions state (each number once)."""
    return len(set(REQUIREMENT.findall("\n".join(_cells(notebook, "markdown")))))


def answer_cells(notebook: Path) -> int:
    """The cells a learner fills in: nbgrader's solution cells (code, or a written answer)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(1 for cell in cells if cell["metadata"].get("nbgrader", {}).get("solution"))


def solution_lines(notebook: Path) -> int:
    """The lines of code of a lab's reference solution: blank lines and comments are not
    code a learner has to write."""
    return sum(1 for source in _cells(notebook, "code") for block in SOLUTION.findall(source)
               for line in block.splitlines() if line.strip() and not
               line.strip().startswith("#"))


def chapter(path: Path) -> Chapter:
    """The chapter notebook at ``path``, measured."""
    return Chapter(markdown_words(path), explorers(path))


def lab(path: Path) -> Lab:
    """The lab whose nbgrader source notebook is at ``path``, measured."""
    return Lab(markdown_words(path), requirements(path), answer_cells(path),
               solution_lines(path))


def chapter_paths() -> list[Path]:
    """Every chapter notebook, in course order."""
    return sorted(COURSE_DIR.glob("[0-9][0-9]-*.ipynb"))


def lab_path(chapter_path: Path) -> Path | None:
    """The nbgrader source of a chapter's lab (same name), or None for a chapter without."""
    path = LAB_SOURCE_DIR / chapter_path.stem / chapter_path.name
    return path if path.is_file() else None


def estimates() -> dict[int, tuple[int, int | None]]:
    """Minutes for each chapter, by its number: (the chapter, its lab or None)."""
    found = {}
    for path in chapter_paths():
        source = lab_path(path)
        found[int(path.name[:2])] = (chapter(path).minutes,
                                     lab(source).minutes if source else None)
    return found


def total_hours() -> int:
    """The whole course, every chapter and lab, in hours to the nearest hour."""
    minutes = sum(read + (work or 0) for read, work in estimates().values())
    return math.floor(minutes / 60 + 0.5)


def table() -> str:
    """Every estimate and what it is made of, as a markdown table."""
    rows = ["| # | words | widgets | read and try | lab words | requirements | answer cells "
            "| solution lines | lab |", "|---|---|---|---|---|---|---|---|---|"]
    for path in chapter_paths():
        read, source = chapter(path), lab_path(path)
        work = " | | | | | no lab"
        if source:
            done = lab(source)
            work = (f" | {done.words} | {done.requirements} | {done.answers} | "
                    f"{done.solution_lines} | {done.minutes} min")
        rows.append(f"| {int(path.name[:2])} | {read.words} | {read.explorers} | "
                    f"{read.minutes} min{work} |")
    return "\n".join(rows + ["", f"All of it: about {total_hours()} hours."])


if __name__ == "__main__":
    print(table())
