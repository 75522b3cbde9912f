"""Speed figures, printed (not asserted): ``python -m grader.benchmark``.

- grading the solution of each lab with the grading command (a new process each time, its
  start included), and for the retries lab side by side with plain ``nbgrader autograde``
  of the same notebook, with the scores each gave;
- a class: 100 submissions of the retries lab (solved, blank and wrong) graded by
  ``python -m grader batch --jobs 2`` and by one plain ``nbgrader autograde`` run, with
  the ratio of their times and whether every score agrees;
- the slowest test of each lab's solution, against the grader's time limit for one test;
- running each chapter top to bottom in a Jupyter kernel;
- each widget's redraws, figure rendered as the notebook would show it: for a setting seen
  before (the figure alone) and for a new one (its simulation too);
- the event source mapping emulators: simulated time and invocations per second of wall time;
- the helper package's import times.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

REPO = Path(__file__).resolve().parent.parent
LAB = "02-retries"  # the lab compared with nbgrader autograde
SUBMISSION = REPO / "solutions" / LAB / f"{LAB}.ipynb"
GRADING_RUNS = 5
NBGRADER_RUNS = 3
REDRAWS = 10
CLASS_SIZE = 100  # submissions in the batch comparison


# nbgrader runs `alembic` by name: the environment's own scripts must come first on PATH.
ENVIRONMENT = {**os.environ,
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}


def _timed(command: list[str], cwd: Path | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True,
                               env=ENVIRONMENT)
    return time.perf_counter() - started, completed.stdout


def grading_times(submission: Path = SUBMISSION) -> tuple[list[float], float]:
    """Wall time of ``python -m grader grade --json`` runs, and the score they gave."""
    times, score = [], 0.0
    for _ in range(GRADING_RUNS):
        seconds, stdout = _timed([sys.executable, "-m", "grader", "grade", str(submission),
                                  "--json"])
        times.append(seconds)
        score = json.loads(stdout)["score"]
    return times, score


NBGRADER = [sys.executable, "-m", "nbgrader"]


def _timed_tests(submission: Path) -> list[tuple[str, float]]:
    """Each test of a graded submission and how long it took (grader included), in order."""
    from grader.grade import grade_file

    timings: list[tuple[str, float]] = []
    grade_file(submission, on_test=lambda result, seconds: timings.append((result.name, seconds)))
    return timings


def slowest_tests() -> dict[str, tuple[str, float]]:
    """For each lab, its solution's slowest test and how long it took (grader included)."""
    from grader.labs import lab_ids

    return {lab: max(_timed_tests(REPO / "solutions" / lab / f"{lab}.ipynb"),
                     key=lambda timing: timing[1])
            for lab in lab_ids()}


def _nbgrader_course(tmp: str, lab: str) -> Path:
    """A copy of the nbgrader course in ``tmp``, with ``lab`` generated: ready to collect
    submissions and autograde them."""
    course = Path(tmp) / "grader"
    shutil.copytree(REPO / "grader" / "source", course / "source")
    shutil.copy(REPO / "grader" / "nbgrader_config.py", course)
    _timed([*NBGRADER, "generate_assignment", lab, "--force"], cwd=course)
    return course


def nbgrader_times() -> tuple[list[float], float]:
    """Wall time of plain ``nbgrader autograde`` of the same notebook, and its score."""
    times, score = [], None
    with tempfile.TemporaryDirectory() as tmp:
        course = _nbgrader_course(tmp, LAB)
        for run in range(NBGRADER_RUNS):
            student = f"student{run}"
            (course / "submitted" / student / LAB).mkdir(parents=True)
            shutil.copy(SUBMISSION, course / "submitted" / student / LAB)
            seconds, _ = _timed([*NBGRADER, "autograde", LAB, "--student", student],
                                cwd=course)
            times.append(seconds)
        _timed([*NBGRADER, "export"], cwd=course)
        with open(course / "grades.csv") as grades:
            score = float(next(csv.DictReader(grades))["score"])
    return times, score


def _class_of(size: int, lab: str) -> dict[str, dict]:
    """``size`` submissions of ``lab``: mostly solved, some blank, some with a known mistake
    (the wrong answers the grader's tests keep)."""
    from grader.submissions import (
        WRONG_ANSWER_FILES,
        answer_file_notebook,
        load_answer_file,
        load_notebook,
    )

    mistakes = [load_answer_file(p) for p in WRONG_ANSWER_FILES if p.parent.name == lab]
    submissions = {}
    for number in range(size):
        if number % 4 == 1:
            notebook = answer_file_notebook(mistakes[number % len(mistakes)])
        elif number % 10 == 3:
            notebook = load_notebook(lab, "release")
        else:
            notebook = load_notebook(lab)
        submissions[f"learner{number:03d}"] = notebook
    return submissions


def batch_against_nbgrader(size: int = CLASS_SIZE, lab: str = LAB) -> dict:
    """Wall time of ``python -m grader batch --jobs 2`` and of one ``nbgrader autograde``
    over the same class, and the students whose scores differ."""
    with tempfile.TemporaryDirectory() as tmp:
        course = _nbgrader_course(tmp, lab)
        for student, notebook in _class_of(size, lab).items():
            folder = course / "submitted" / student / lab
            folder.mkdir(parents=True)
            (folder / f"{lab}.ipynb").write_text(json.dumps(notebook))
        batch_s, _ = _timed([sys.executable, "-m", "grader", "batch", str(course), "--out",
                             str(Path(tmp) / "results"), "--jobs", "2"], cwd=REPO)
        nbgrader_s, _ = _timed([*NBGRADER, "autograde", lab], cwd=course)
        _timed([*NBGRADER, "export"], cwd=course)
        with open(course / "grades.csv") as grades:
            theirs = {row["student_id"]: float(row["score"]) for row in csv.DictReader(grades)}
        with open(Path(tmp) / "results" / "scores.csv") as scores:
            ours = {row["student"]: float(row["score"]) for row in csv.DictReader(scores)}
    differ = sorted(s for s in theirs if theirs[s] != ours.get(s))
    return {"batch_s": batch_s, "nbgrader_s": nbgrader_s, "size": size, "differ": differ,
            "mean_score": statistics.mean(ours.values())}


def chapter_times() -> dict[str, float]:
    """Seconds to run each chapter top to bottom, kernel start included."""
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for path in sorted((REPO / "course").glob("[0-9][0-9]-*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(notebook, kernel_name="python3", timeout=300,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        times[path.name] = time.perf_counter() - started
    return times


def redraw_times() -> dict[str, tuple[float, float, float, int]]:
    """For each widget, moving its controls through ``REDRAWS`` settings, PNG included:
    (first draw, median redraw of a new setting (simulation and figure), median redraw of
    a setting seen before (figure only), how many new settings ran long enough to show the
    progress bar)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from resilience.chapters import (
        ch01_timeouts,
        ch02_retries,
        ch03_partial_failures,
        ch04_poison_pills,
        ch05_load_shedding,
        ch06_queue_backlogs,
        ch07_shuffle_sharding,
        ch08_idempotency,
    )
    from resilience.models import backlogs, timeouts
    from resilience.ui import progress
    from resilience.ui.figures import FIGURE_DPI

    def draw(function, **kwargs) -> float:
        started = time.perf_counter()
        figure = function(**kwargs)
        figure.savefig(io.BytesIO(), format="png", dpi=FIGURE_DPI)
        plt.close(figure)
        return time.perf_counter() - started

    policies = list(ch05_load_shedding.POLICIES)
    moves: dict[str, tuple[Callable[..., Figure], list[dict[str, Any]]]] = {
        "jitter_explorer, clients (timeline)": (
            ch02_retries.draw_jitter_timeline, [{"clients": n} for n in range(10, 101, 10)]),
        "jitter_explorer, strategies, base (sweep)": (
            ch02_retries.draw_jitter_sweep,
            [{"strategies": ch02_retries.DEFAULT_STRATEGIES[: n % 4 + 1], "base_ms": 5.0 + n // 4}
             for n in range(REDRAWS)]),
        "amplification_explorer": (ch02_retries.draw_amplification,
                                   [{"layers": n % 6 + 1, "failure_rate": n / 10}
                                    for n in range(REDRAWS)]),
        "timeout_explorer, timeout (timeline)": (
            ch01_timeouts.draw_producer_timeline,
            [{"timeout_s": t} for t in timeouts.TIMEOUTS_S[:REDRAWS]]),
        "timeout_explorer, retries (sweep)": (
            ch01_timeouts.draw_timeout_sweep, [{"retries": n} for n in range(4)]),
        "burst_explorer": (ch03_partial_failures.draw_burst,
                           [{"shard_count": n % 8 + 1, "max_rounds": 8 - n // 8}
                            for n in range(REDRAWS)]),
        "shard_explorer": (ch04_poison_pills.draw_shard_story,
                           [{"bisect": n % 2 == 0, "headroom": (1.0, 1.1, 1.5, 2.0, 4.0)[n // 2]}
                            for n in range(REDRAWS)]),
        "queue_explorer": (ch04_poison_pills.draw_queue_story,
                           [{"report": n % 2 == 0, "function_s": (1, 5, 10, 20, 50)[n // 2]}
                            for n in range(REDRAWS)]),
        "goodput_explorer": (ch05_load_shedding.draw_goodput_curve,
                             [{"policy": policies[n % len(policies)], "retries": n // 4}
                              for n in range(REDRAWS)]),
        "spike_explorer": (ch05_load_shedding.draw_spike_story,
                           [{"length_s": (1, 2, 5, 10, 20)[n % 5], "retries": n // 5}
                            for n in range(REDRAWS)]),
        "backlog_explorer": (
            ch06_queue_backlogs.draw_backlog,
            [{"strategy": strategy, "length_s": length_s}
             for strategy in backlogs.STRATEGIES for length_s in (10, 30)]),
        "duplicates_explorer": (
            ch08_idempotency.draw_duplicate_story,
            [{"strategy": strategy, "crash_rate": rate}
             for strategy in list(ch08_idempotency.STRATEGIES)[:2]
             for rate in (0.0, 0.05, 0.1, 0.2)]),
        "overlap_explorer": (
            ch07_shuffle_sharding.draw_overlap,
            [{"nodes": 10 + n, "shard_size": n % 5 + 1} for n in range(REDRAWS)]),
        "isolation_explorer": (
            ch07_shuffle_sharding.draw_isolation,
            [{"nodes": (4, 8, 12, 16)[n % 4], "shard_size": n // 4 + 1} for n in range(REDRAWS)]),
    }
    results = {}
    for name, (function, settings) in moves.items():
        first = draw(function)
        new = [draw(function, **s) for s in settings]
        seen = [draw(function, **s) for s in settings]
        results[name] = (first, statistics.median(new), statistics.median(seen),
                         sum(seconds > progress.SHOW_AFTER_S for seconds in new))
    return results


def emulator_speed() -> dict[str, tuple[float, float, int]]:
    """(wall s, simulated s, invocations) of chapter 4's stories: AWS's defaults (a day of
    retries) and bounded settings, each run afresh."""
    from resilience.chapters import ch04_poison_pills as chapter

    results = {}
    for name, settings in {"defaults (stuck a day)": {},
                           "bounded retries + destination": {"max_retries": 2,
                                                             "destination": True}}.items():
        chapter.shard_story.cache_clear()
        started = time.perf_counter()
        story = chapter.shard_story(**settings)
        results[name] = (time.perf_counter() - started, float(chapter.STORY_HOURS * 3600),
                         story.metrics.invocations)
    return results


def overload_speed() -> dict[str, tuple[float, int]]:
    """(wall s, attempts simulated) for an hour of traffic through chapter 5's server."""
    from resilience.models.overload import Clients, Server, simulate, steady

    results = {}
    for name, (rate_per_s, workers, retries) in {
            "an hour at 100/s, below capacity": (100, 20, 0),
            "an hour at 300/s, 3x overloaded": (300, 10, 0)}.items():
        started = time.perf_counter()
        run = simulate(steady(rate_per_s, 3600), clients=Clients(retries=retries),
                       server=Server(workers=workers))
        results[name] = (time.perf_counter() - started, sum(run.offered))
    return results


def import_times() -> dict[str, float]:
    """Seconds to import each module of the helper package in a fresh interpreter."""
    times = {}
    for module in ("resilience", "resilience.clock", "resilience.sandbox",
                   "resilience.faults", "resilience.models.jitter", "resilience.models.timeouts",
                   "resilience.models.bursts", "resilience.eventsources",
                   "resilience.chapters.ch02_retries"):
        code = f"import time; t = time.perf_counter(); import {module}; " \
               "print(time.perf_counter() - t)"
        times[module] = float(_timed([sys.executable, "-c", code])[1])
    return times


def main() -> None:
    from grader.labs import lab_ids

    print("Grading each lab's solution, wall time with process start:")
    for lab in lab_ids():
        runs_s, score = grading_times(REPO / "solutions" / lab / f"{lab}.ipynb")
        print(f"  {lab}: median {statistics.median(runs_s):.2f} s over {GRADING_RUNS} runs "
              f"(min {min(runs_s):.2f}, max {max(runs_s):.2f}), score {score:g}")
    from grader.grade import TEST_TIME_LIMIT_S

    print(f"Slowest test of each lab's solution (the limit for one test is "
          f"{TEST_TIME_LIMIT_S:g} s):")
    for lab, (test, seconds) in slowest_tests().items():
        print(f"  {lab}: {test} {seconds:.2f} s, {TEST_TIME_LIMIT_S / seconds:.0f}x headroom")
    grader_s, grader_score = grading_times()
    nbgrader_s, nbgrader_score = nbgrader_times()
    grader_median, nbgrader_median = statistics.median(grader_s), statistics.median(nbgrader_s)
    print(f"Grading {LAB} (solution), wall time with process start:")
    print(f"  python -m grader grade: median {grader_median:.2f} s over {GRADING_RUNS} runs "
          f"(min {min(grader_s):.2f}, max {max(grader_s):.2f}), score {grader_score:g}")
    print(f"  nbgrader autograde:     median {nbgrader_median:.2f} s over {NBGRADER_RUNS} runs "
          f"(min {min(nbgrader_s):.2f}, max {max(nbgrader_s):.2f}), score {nbgrader_score:g}")
    print(f"  speed-up: {nbgrader_median / grader_median:.1f}x")
    batch = batch_against_nbgrader()
    print(f"A class of {batch['size']} submissions of {LAB} (mean score "
          f"{batch['mean_score']:.1f}):")
    print(f"  python -m grader batch --jobs 2: {batch['batch_s']:.1f} s "
          f"({batch['batch_s'] / batch['size']:.2f} s a submission)")
    print(f"  nbgrader autograde:              {batch['nbgrader_s']:.1f} s "
          f"({batch['nbgrader_s'] / batch['size']:.2f} s a submission)")
    print(f"  speed-up: {batch['nbgrader_s'] / batch['batch_s']:.1f}x; scores "
          + ("identical" if not batch["differ"] else f"differ for {batch['differ']}"))
    print("Chapters, top to bottom (kernel start included):")
    for name, chapter_s in chapter_times().items():
        print(f"  {name}: {chapter_s:.1f} s")
    print("Widget redraws, figure rendered to PNG (median over the moves; a bar shows the "
          "progress of any simulation that runs longer than 0.5 s):")
    for name, (first, new, seen, slow) in redraw_times().items():
        print(f"  {name}: first draw {first * 1000:.0f} ms; a setting seen before "
              f"{seen * 1000:.0f} ms; a new setting {new * 1000:.0f} ms"
              + (f" ({slow} with a progress bar)" if slow else ""))
    print("Event source mapping emulators (chapter 4's shard story, 30 simulated hours):")
    for name, (wall_s, simulated_s, invocations) in emulator_speed().items():
        print(f"  {name}: {wall_s:.2f} s wall, {simulated_s / wall_s:,.0f} simulated s per s, "
              f"{invocations / wall_s:,.0f} invocations per s")
    print("Overload models (chapter 5's simpy server):")
    for name, (wall_s, attempts) in overload_speed().items():
        print(f"  {name}: {wall_s:.1f} s wall, {attempts / wall_s:,.0f} simulated requests "
              "per s of wall time")
    print("Import times (fresh interpreter):")
    for module, import_s in import_times().items():
        print(f"  {module}: {import_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
