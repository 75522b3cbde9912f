"""The class dashboard: one self-contained HTML page for the instructor, made from the
folder ``python -m grader batch`` writes.

    python -m grader report RESULTS --out report.html [--course-url URL]

It reads ``RESULTS/results/<student>/<name>.json`` (the contract in ``grader.result``) and
shows: each lab's score distribution, the misconceptions most common in the class (what
each failing submission behaves like, ``grader.misconceptions``, with the chapter section
to revisit), and each test's pass rate; a learner's name links to their feedback page.
Figures are PNGs in the page, in the course's style (``resilience.ui.figures``); the page
loads nothing else.

A result the page cannot use is skipped and counted, by why: a file that cannot be read or
is not JSON, JSON that is not a result, a submission that could not be graded (``error``),
a lab the course does not have. With nothing usable, ``NoResults`` says why in a line, and
no page is written.
"""

from __future__ import annotations

import base64
import html as markup
import json
import math
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from grader.feedback import STYLE as FEEDBACK_STYLE
from grader.misconceptions import ChapterSection, behaves_like, revisit, unfinished
from grader.result import printable

# Why a result file is skipped, in the order the page lists them.
UNREADABLE = "cannot be read or is not JSON"
MALFORMED = "is not a grading result"
NOT_GRADABLE = "could not be graded"
UNKNOWN_LAB = "is of a lab the course does not have"
SKIP_REASONS = (UNREADABLE, MALFORMED, NOT_GRADABLE, UNKNOWN_LAB)

# Score bands of the distribution figure: (lowest share of the points, label), best first.
SCORE_BANDS = ((1.0, "full marks"), (0.8, "80% or more"), (0.5, "50% or more"),
               (0.0, "under 50%"))
PASS_RATE_LOW, PASS_RATE_FAIR = 0.5, 0.8  # a test passed by fewer is red, then orange
FIGURE_WIDTH_IN = 8.0  # the score bands' figure
PASS_RATES_WIDTH_IN = 5.6  # a lab's pass rates: two side by side on a wide screen
BAR_ROW_IN = 0.32  # height of a lab's row in the score bands' figure (inches)
TEST_ROW_IN = 0.22  # height of a test's row in a lab's pass rates (inches)
FIGURE_MARGIN_IN = 0.7  # room for a figure's title and axis (inches)
LEARNERS_NAMED = 6  # learners listed per misconception; the rest are counted
FILES_NAMED = 5  # skipped files listed per reason; the rest are counted

PAGE_STYLE = FEEDBACK_STYLE + """
body { max-width: 72rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
h3 { font-size: 1rem; } .summary { font-size: 1.05rem; }
.dashboard-figure { display: block; max-width: 100%; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
td.count, th.count { text-align: right; white-space: nowrap; } td.lab { white-space: nowrap; }
.bad { color: #D55E00; font-weight: 600; } .muted { color: #666; font-size: .85rem; }
code { font-size: .8rem; color: #555; }
"""


class NoResults(Exception):
    """Nothing to report: the one-line reason."""


@dataclass
class ClassResults:
    """What a results folder holds: the usable results, and the files skipped, by why."""

    results: list[dict] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason: files, relative

    def skip(self, reason: str, name: str) -> None:
        """Count ``name`` as skipped, for ``reason``."""
        self.skipped.setdefault(reason, []).append(name)

    @property
    def skipped_count(self) -> int:
        """How many result files the page leaves out."""
        return sum(map(len, self.skipped.values()))


def result_files(folder: Path) -> list[Path]:
    """The result files of a batch's output folder (or of its ``results/`` folder)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NoResults(f"no such folder: {folder}")
    results = folder / "results" if (folder / "results").is_dir() else folder
    files = sorted(path for path in results.glob("*/*.json") if not path.name.startswith("."))
    if not files:
        raise NoResults(f"no results in {folder}: grade a class first with "
                        f"`python -m grader batch SUBMISSIONS --out {folder}`")
    return files


def _is_number(value) -> bool:
    """Whether ``value`` is a plain, finite number (a bool is not a score, nor is NaN)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        math.isfinite(value)


def _is_test(test) -> bool:
    """Whether ``test`` has the contract's shape for one test's outcome."""
    return isinstance(test, dict) and isinstance(test.get("name"), str) and \
        isinstance(test.get("passed"), bool) and isinstance(test.get("feedback"), str) and \
        _is_number(test.get("score")) and _is_number(test.get("max_score"))


def problem_of(data, labs) -> str | None:
    """Why a result's JSON data cannot be reported (a ``SKIP_REASONS`` entry), or None."""
    if not isinstance(data, dict) or not _is_number(data.get("score")) or \
            not _is_number(data.get("max_score")):
        return MALFORMED
    if data.get("error"):
        return NOT_GRADABLE
    if not isinstance(data.get("tests"), list) or not data["tests"] or \
            not all(map(_is_test, data["tests"])) or data["max_score"] <= 0:
        return MALFORMED
    return None if data.get("lab") in labs else UNKNOWN_LAB


def load_results(folder: Path, labs) -> ClassResults:
    """Every usable result under ``folder``, each with its ``student`` set (the folder's
    name when the result does not say) and its ``feedback_page`` (the path of the page
    ``batch`` wrote beside it, or None), and the files skipped. ``labs``: the course's."""
    files = result_files(folder)
    found = ClassResults()
    for path in files:
        name = f"{path.parent.name}/{path.name}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found.skip(UNREADABLE, name)
            continue
        problem = problem_of(data, labs)
        if problem:
            found.skip(problem, name)
        else:
            student = data.get("student")
            feedback_page = path.parents[2] / "feedback" / path.parent.name / \
                f"{path.stem}.html"
            found.results.append({**data, "student": student if isinstance(student, str)
                                  and student else path.parent.name,
                                  "feedback_page": feedback_page if feedback_page.is_file()
                                  else None})
    if not found.results:
        raise NoResults(f"nothing to report in {folder}: none of its {len(files)} result "
                        f"files can be used ({skipped_line(found.skipped)})")
    return found


def skipped_line(skipped: dict[str, list[str]]) -> str:
    """The skipped files in a phrase: "2 could not be graded, 1 is not a grading result"."""
    return ", ".join(f"{len(skipped[reason])} {reason}" for reason in SKIP_REASONS
                     if skipped.get(reason))


@dataclass
class LabStats:
    """One lab's results: each submission's share of the points, each test's pass rate."""

    lab: str
    shares: list[float]  # score / max_score, one per submission
    tests: dict[str, list[bool]]  # test grade_id: passed, one per submission, in lab order

    @property
    def pass_rates(self) -> list[tuple[str, float]]:
        """(test, share of submissions that passed it), the worst first."""
        rates = [(test, sum(passed) / len(passed)) for test, passed in self.tests.items()]
        return sorted(rates, key=lambda item: item[1])

    def band_counts(self) -> list[int]:
        """How many submissions fall in each ``SCORE_BANDS`` band."""
        counts = [0] * len(SCORE_BANDS)
        for share in self.shares:
            counts[next(i for i, (low, _) in enumerate(SCORE_BANDS) if share >= low)] += 1
        return counts


def lab_stats(results: list[dict]) -> dict[str, LabStats]:
    """Each lab's statistics, labs in the course's order."""
    stats: dict[str, LabStats] = {}
    for result in sorted(results, key=lambda r: r["lab"]):
        lab = stats.setdefault(result["lab"], LabStats(result["lab"], [], {}))
        lab.shares.append(min(1.0, max(0.0, result["score"] / result["max_score"])))
        for test in result["tests"]:
            lab.tests.setdefault(test["name"], []).append(test["passed"])
    return stats


@dataclass
class Row:
    """One misconception of the class: what its learners believed, and who behaves so."""

    lab: str
    beliefs: tuple[str, ...]
    violates: list[str]
    learners: list[dict]  # their results

    @property
    def sections(self) -> list[ChapterSection]:
        """The chapter sections to revisit."""
        return revisit(self.lab, self.violates)


@dataclass
class Unexplained:
    """One lab's failing submissions that match no misconception, by why."""

    unfinished: list[dict] = field(default_factory=list)  # an answer still not written
    unmatched: list[dict] = field(default_factory=list)  # failing as no catalogue answer does


def misconception_rows(results: list[dict]) -> tuple[list[Row], dict[str, Unexplained]]:
    """The misconceptions the class's failing submissions behave like, the most common
    first, and, per lab, the failing submissions that match none."""
    rows: dict[tuple[str, tuple[str, ...]], Row] = {}
    unexplained: dict[str, Unexplained] = {}
    for result in results:
        if result["score"] >= result["max_score"]:
            continue
        match = behaves_like(result)
        if match is None:
            lab = unexplained.setdefault(result["lab"], Unexplained())
            (lab.unfinished if unfinished(result) else lab.unmatched).append(result)
            continue
        row = rows.setdefault((result["lab"], match.beliefs),
                              Row(result["lab"], match.beliefs, list(match.violates), []))
        row.learners.append(result)
    ranked = sorted(rows.values(), key=lambda row: (-len(row.learners), row.lab, row.beliefs))
    return ranked, unexplained


def _png(figure) -> str:
    """A figure as a base64 PNG, closed once drawn."""
    from resilience.ui.figures import png_of

    return base64.b64encode(png_of(figure)).decode()


def draw_score_bands(stats: dict[str, LabStats]) -> str:
    """Each lab's submissions by score band, as one stacked bar per lab (PNG, base64): the
    labs that went badly are the ones with most red."""
    from resilience.ui.figures import BAD, GOOD, INFO, WARN, new_figure, style

    labs = list(stats)
    height_in = FIGURE_MARGIN_IN + BAR_ROW_IN * len(labs)
    figure, ax = new_figure(FIGURE_WIDTH_IN, height_in, "Each bar is a lab's submissions; "
                            "red: under half the points.", left=0.2, right=0.97,
                            top=1 - 0.35 / height_in, bottom=0.4 / height_in)
    left = [0.0] * len(labs)
    for band, colour in enumerate((GOOD, INFO, WARN, BAD)):
        shares = [stats[lab].band_counts()[band] / len(stats[lab].shares) for lab in labs]
        ax.barh(labs, shares, left=left, color=colour, label=SCORE_BANDS[band][1])
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.legend(ncols=len(SCORE_BANDS), loc="lower left", bbox_to_anchor=(0, 1.0))
    style(ax, "", "share of the lab's submissions", "")
    return _png(figure)


def _rate_colour(rate: float) -> str:
    """A pass rate's colour: red when few passed, orange for some, green for most."""
    from resilience.ui.figures import BAD, GOOD, WARN

    return BAD if rate < PASS_RATE_LOW else WARN if rate < PASS_RATE_FAIR else GOOD


def draw_pass_rates(stats: LabStats) -> str:
    """One lab's tests by the share of submissions that passed them, the worst on top
    (PNG, base64)."""
    from resilience.ui.figures import new_figure, style

    rates = stats.pass_rates
    height_in = FIGURE_MARGIN_IN + TEST_ROW_IN * len(rates)
    figure, ax = new_figure(PASS_RATES_WIDTH_IN, height_in, f"{len(stats.shares)} "
                            f"submissions; red: passed by under {PASS_RATE_LOW:.0%} of them.",
                            left=0.42, right=0.97, top=1 - 0.3 / height_in,
                            bottom=0.45 / height_in)
    names = [name for name, _ in rates]
    ax.barh(names, [rate for _, rate in rates], color=[_rate_colour(r) for _, r in rates])
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    style(ax, f"{stats.lab}: each test's pass rate", "share of submissions that passed", "")
    return _png(figure)


def e(value) -> str:
    """Text made safe for the page: escaped, and writable as UTF-8."""
    return markup.escape(printable(str(value)))


def _image(png: str, alt: str) -> str:
    """A figure in the page."""
    return f"<img class='dashboard-figure' alt='{e(alt)}' src='data:image/png;base64,{png}'>"


def _score_table(stats: dict[str, LabStats]) -> str:
    """A row per lab: its submissions, median share, and how many scored full and low."""
    rows = ["<table><tr><th>lab</th><th class='count'>submissions</th>"
            "<th class='count'>median score</th><th class='count'>full marks</th>"
            "<th class='count'>under 50%</th></tr>"]
    for lab, lab_stat in stats.items():
        counts = lab_stat.band_counts()
        low = f"<span class='bad'>{counts[-1]}</span>" if counts[-1] else "0"
        rows.append(f"<tr><td>{e(lab)}</td><td class='count'>{len(lab_stat.shares)}</td>"
                    f"<td class='count'>{statistics.median(lab_stat.shares):.0%}</td>"
                    f"<td class='count'>{counts[0]}</td><td class='count'>{low}</td></tr>")
    return "\n".join(rows) + "</table>"


def _listed(items: list[str], limit: int) -> str:
    """Up to ``limit`` items of a page (already HTML), and how many more."""
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


def _who(results: list[dict], pages_from: Path | None) -> str:
    """The learners behind ``results``, up to ``LEARNERS_NAMED``, each a link to their
    feedback page (relative to ``pages_from``, the report's folder) where there is one."""
    def learner(result: dict) -> str:
        page_path = result.get("feedback_page")
        if pages_from is None or page_path is None:
            return e(result["student"])
        return f"<a href='{e(Path(os.path.relpath(page_path, pages_from)).as_posix())}'>" \
               f"{e(result['student'])}</a>"

    return _listed([learner(result) for result in results], LEARNERS_NAMED)


def _section_link(section: ChapterSection, course_url: str) -> str:
    """A chapter section as a link, with its path as text to find it by hand."""
    return (f"<a href='{e(course_url + section.path)}'>{e(section.heading)}</a><br>"
            f"<code>{e(section.path)}</code>")


def _unexplained_lines(unexplained: dict[str, Unexplained],
                       pages_from: Path | None) -> list[str]:
    """A line per lab for its failing submissions that match no misconception."""
    lines = []
    for lab, learners in sorted(unexplained.items()):
        for names, why in ((learners.unmatched, "unmatched: they fail as no catalogued "
                            "wrong answer does; read their feedback pages"),
                           (learners.unfinished, "unfinished: an answer still raises "
                            "NotImplementedError")):
            if names:
                lines.append(f"<p class='unmatched'>{e(lab)}: {len(names)} failing "
                             f"submission{'s' if len(names) > 1 else ''} {why} "
                             f"({_who(names, pages_from)}).</p>")
    return lines


def _misconception_table(rows: list[Row], unexplained: dict[str, Unexplained],
                         course_url: str, pages_from: Path | None) -> str:
    """The misconceptions, most common first, and the failing submissions none explains."""
    if not rows and not unexplained:
        return "<p>Every submission scored full marks: nothing to reteach.</p>"
    parts = []
    if rows:
        parts.append("<table class='misconceptions'><tr><th class='count'>learners</th>"
                     "<th>lab</th><th>behaves like the belief that</th>"
                     "<th>requirements</th><th>revisit</th><th>who</th></tr>")
        for row in rows:
            belief = " <em>or</em> ".join(e(b) for b in row.beliefs)
            links = "<br>".join(_section_link(s, course_url) for s in row.sections)
            parts.append(f"<tr class='misconception'><td class='count'>{len(row.learners)}"
                         f"</td><td class='lab'>{e(row.lab)}</td><td>{belief}</td>"
                         f"<td>{e(', '.join(row.violates))}</td><td>{links}</td>"
                         f"<td class='muted'>{_who(row.learners, pages_from)}</td></tr>")
        parts.append("</table>")
    return "\n".join(parts + _unexplained_lines(unexplained, pages_from))


def _skipped_list(skipped: dict[str, list[str]]) -> str:
    """The skipped files, by why."""
    if not skipped:
        return "<p>None: every result file was used.</p>"
    return "<ul>" + "".join(
        f"<li>{len(names)} {e(reason)}: {_listed(list(map(e, names)), FILES_NAMED)}</li>"
        for reason in SKIP_REASONS if (names := skipped.get(reason))) + "</ul>"


def page(found: ClassResults, source: str, course_url: str = "",
         pages_from: Path | None = None) -> str:
    """The dashboard of ``found`` (read from the folder ``source``) as one HTML page.
    ``course_url`` goes before each chapter path in links (e.g. a JupyterLab tree URL);
    learners' names link to their feedback pages relative to ``pages_from``, the folder
    the page will be in (no links without it)."""
    stats = lab_stats(found.results)
    rows, unexplained = misconception_rows(found.results)
    learners = len({result["student"] for result in found.results})
    summary = (f"{len(found.results)} results of {learners} learner"
               f"{'s' if learners != 1 else ''} in {len(stats)} lab"
               f"{'s' if len(stats) != 1 else ''}, from <code>{e(source)}</code>")
    if found.skipped:
        summary += (f"; <span class='bad'>{found.skipped_count} skipped</span> "
                    f"({e(skipped_line(found.skipped))})")
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Class dashboard</title><style>{PAGE_STYLE}</style></head><body>",
             "<h1>Class dashboard</h1>", f"<p class='summary'>{summary}.</p>",
             "<h2>Scores by lab</h2>",
             _image(draw_score_bands(stats), "each lab's submissions by score band"),
             _score_table(stats),
             "<h2>What to reteach: the misconceptions most common in the class</h2>",
             "<p class='muted'>Matched by behaviour: a failing submission behaves like a "
             "catalogued wrong answer when the tests that catch it failed with the same "
             "feedback. Read the feedback pages before telling a learner what they "
             "believed.</p>",
             _misconception_table(rows, unexplained, course_url, pages_from),
             "<h2>Each test's pass rate</h2>"]
    parts += ["<div class='figures'>", *[_image(draw_pass_rates(lab_stat),
                                                f"{lab}: each test's pass rate")
                                         for lab, lab_stat in stats.items()], "</div>",
              "<h2>Skipped results</h2>", _skipped_list(found.skipped), "</body></html>\n"]
    return "\n".join(parts)


def write_report(folder: Path, out: Path, course_url: str = "") -> ClassResults:
    """Read ``folder``'s results and write the dashboard to ``out`` (whole or not at all);
    what was read. ``NoResults`` when there is nothing to report: then nothing is written."""
    from grader.batch import _write_atomically
    from grader.labs import lab_ids

    found = load_results(Path(folder), set(lab_ids()))
    out = Path(out)
    _write_atomically(out, page(found, str(folder), course_url, out.resolve().parent))
    return found
