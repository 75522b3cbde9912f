"""Grade a class: a folder of submissions, in parallel, resumably.

    python -m grader batch SUBMISSIONS --out RESULTS [--jobs N] [--lab LAB]
                           [--policy course.toml] [--roster roster.csv]

``SUBMISSIONS`` is a flat folder of notebooks, one per learner (the file's name is the
learner's), or nbgrader's layout, ``submitted/<student>/<lab>/<notebook>.ipynb``, where the
folder names the lab each notebook must be (a course folder holding ``submitted/`` works
too). ``RESULTS`` receives:

- ``results/<student>/<name>.json``: the grading command's result for that submission, with
  where it came from (``student``, ``submission``, ``sha256``, ``grader``);
- ``feedback/<student>/<name>.html``: what passed, what failed and why, without test code;
- ``scores.csv``: one row per submission; with a policy (``grader.policy``: due dates, a
  late penalty, extensions), when each was submitted and due, how late, the penalty and the
  final score, which the result's ``late`` object and the feedback page show too;
- ``gradebook-canvas.csv`` and ``gradebook-moodle.csv``: a row per learner, a column per lab,
  the final scores, in the layouts Canvas and Moodle import (``grader.gradebook``).

Each submission is graded by a warm grading worker (moto and the checks already imported),
and its code runs in a fresh, confined process of its own (``grader.learner``). A result is
written, atomically, as soon as it is known, so an interrupted run loses nothing. A rerun
grades only what is new or changed: a submission whose bytes, and whose grader (tests,
checks, course package), are those of its stored result is not graded again; a changed
policy or submission time only updates its ``late`` object, page and rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from grader import feedback, gradebook
from grader.policy import Policy, duration, submission_time
from grader.result import GradeResult, printable

GRADER_ROOT = Path(__file__).resolve().parent
COURSE_PACKAGE_DIR = GRADER_ROOT.parent / "course" / "resilience"  # the helper package's files
HARD_LIMIT_MARGIN_S = 30.0  # past the submission's own limit, a worker is presumed stuck
WORKER_MEMORY_BYTES = 8 * 1024**3  # a grading worker (moto, the checks) needs well under 1 GiB
# The grader's modules that read results and never make one (the class dashboard): a change
# to them grades nothing again.
READ_RESULTS_ONLY = ("report.py", "misconceptions.py")
CSV_FIELDS = ("student", "lab", "submission", "score", "max_score", "status", "submitted_at",
              "due", "late_by", "penalty", "final_score")
CANVAS_CSV, MOODLE_CSV = "gradebook-canvas.csv", "gradebook-moodle.csv"


@dataclass(frozen=True)
class Submission:
    """One notebook to grade, and where its results go."""

    student: str
    path: Path
    name: str  # the lab it must be (nbgrader's layout) or the file's stem
    expected_lab: str | None = None

    @property
    def key(self) -> str:
        """The submission's name among the class's: ``student/name``."""
        return f"{self.student}/{self.name}"


def find_submissions(folder: Path) -> list[Submission]:
    """Every notebook in ``folder``, flat or in nbgrader's ``submitted`` layout."""
    folder = Path(folder)
    if (folder / "submitted").is_dir():
        folder = folder / "submitted"
    found = []
    for path in sorted(folder.glob("*/*/*.ipynb")):  # <student>/<lab>/<notebook>
        if ".ipynb_checkpoints" not in path.parts:
            student, lab = path.parent.parent.name, path.parent.name
            found.append(Submission(student, path, lab, expected_lab=lab))
    for path in sorted(folder.glob("*.ipynb")):
        found.append(Submission(path.stem, path, path.stem))
    return found


def grader_fingerprint() -> str:
    """A digest of everything that decides a grade: the labs' source, the grader, the
    course package. A result from another grader is graded again."""
    digest = hashlib.sha256()
    grader_files = [p for p in GRADER_ROOT.glob("*.py") if p.name not in READ_RESULTS_ONLY]
    files = sorted([*grader_files, *(GRADER_ROOT / "source").rglob("*.ipynb"),
                    *COURSE_PACKAGE_DIR.rglob("*.py")])
    for path in files:
        digest.update(str(path.relative_to(GRADER_ROOT.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _sha256(path: Path) -> str:
    """The digest of a submitted file's bytes: a changed submission is graded again."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def late_of(policy: Policy | None, submission: Submission, lab: str | None,
            score: float) -> dict | None:
    """``submission``'s ``late`` object under ``policy`` (None without a policy, or for a
    lab with no due date)."""
    if policy is None:
        return None
    submitted_at, source = submission_time(submission.path)
    return policy.late(submission.student, lab, submitted_at, source, score)


def final_score(result: dict) -> float:
    """A stored result's score after any late penalty."""
    late = result.get("late")
    return late["final_score"] if isinstance(late, dict) else result.get("score", 0)


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` holds either nothing new or all of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(printable(text), encoding="utf-8")
    os.replace(temporary, path)


class Results:
    """The results folder: one JSON and one HTML file per submission, and the CSV."""

    def __init__(self, out: Path):
        self.out = Path(out)

    def json_path(self, submission: Submission) -> Path:
        """Where ``submission``'s JSON result goes."""
        return self.out / "results" / submission.student / f"{submission.name}.json"

    def html_path(self, submission: Submission) -> Path:
        """Where ``submission``'s feedback page goes."""
        return self.out / "feedback" / submission.student / f"{submission.name}.html"

    def stored(self, submission: Submission) -> dict | None:
        """``submission``'s stored result as JSON data, or None if there is none to read
        (never graded, or by a run that stopped before writing it)."""
        try:
            return json.loads(self.json_path(submission).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def is_current(self, submission: Submission, sha256: str, fingerprint: str) -> bool:
        """Whether ``submission`` has a stored result for these very bytes (``sha256``),
        graded by this very grader (``fingerprint``): then it needs no grading."""
        stored = self.stored(submission)
        return stored is not None and stored.get("sha256") == sha256 and \
            stored.get("grader") == fingerprint

    def save(self, submission: Submission, result: GradeResult) -> None:
        """Store ``submission``'s result: its feedback page and its JSON."""
        self.save_data(submission, result.to_json())

    def save_data(self, submission: Submission, data: dict) -> None:
        """The HTML first, then the JSON: a JSON file on disk means both are complete."""
        _write_atomically(self.html_path(submission), feedback.html(data))
        _write_atomically(self.json_path(submission), json.dumps(data, indent=1) + "\n")

    def update_late(self, submission: Submission, policy: Policy | None) -> bool:
        """Give a stored result the ``late`` object ``policy`` gives it now, without grading
        it again; whether it changed (a new extension, a new submission time)."""
        stored = self.stored(submission)
        if stored is None:
            return False
        late = late_of(policy, submission, stored.get("lab"), stored.get("score", 0))
        if stored.get("late") == late:
            return False
        stored.pop("late", None)
        self.save_data(submission, {**stored, "late": late} if late else stored)
        return True

    def write_scores(self, submissions: list[Submission]) -> Path:
        """Write ``scores.csv`` from the stored results: a row per submission, in order."""
        rows = io.StringIO()
        writer = csv.DictWriter(rows, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for submission in submissions:
            result = self.stored(submission) or {}
            late = result.get("late") or {}
            writer.writerow({
                "student": submission.student, "lab": result.get("lab") or "",
                "submission": str(result.get("submission", submission.path.name)),
                "score": f"{result.get('score', 0):g}",
                "max_score": f"{result.get('max_score', 0):g}",
                "status": "error" if result.get("error") else "graded",
                "submitted_at": late.get("submitted_at", ""), "due": late.get("due", ""),
                "late_by": duration(late["late_by_s"]) if late else "",
                "penalty": f"{late['penalty']:g}" if late else "",
                "final_score": f"{final_score(result):g}"})
        path = self.out / "scores.csv"
        _write_atomically(path, rows.getvalue())
        return path

    def write_gradebooks(self, submissions: list[Submission], roster: dict,
                         columns: dict[str, str]) -> tuple[Path, Path]:
        """Write the Canvas and Moodle gradebooks from the stored results: each learner's
        final score per lab (a result of no lab, or not one of the course's, has no column)."""
        from grader.labs import lab_ids

        known = set(lab_ids())
        grades: dict[str, dict[str, float]] = {}
        points: dict[str, float] = {}
        for submission in submissions:
            result = self.stored(submission) or {}
            lab = result.get("lab")
            if lab in known:
                grades.setdefault(submission.student, {})[lab] = float(final_score(result))
                points[lab] = float(result.get("max_score", 0))
        paths = self.out / CANVAS_CSV, self.out / MOODLE_CSV
        _write_atomically(paths[0], gradebook.canvas(grades, points, roster, columns))
        _write_atomically(paths[1], gradebook.moodle(grades, list(points), roster, columns))
        return paths


# -- the grading workers ----------------------------------------------------------------------


def grade_submission(path: Path, expected_lab: str | None, limits: dict) -> GradeResult:
    """Grade one submission; an ungradable one gets a score of 0 and a one-line ``error``,
    never a traceback."""
    from grader.grade import CannotGrade, grade_notebook, read_submission
    from grader.labs import lab_ids, load_lab

    try:
        if expected_lab is not None and expected_lab not in lab_ids():
            raise CannotGrade(f"it was submitted as {expected_lab!r}, which is not one of the "
                              "course's labs")
        return grade_notebook(read_submission(path), expected_lab=expected_lab, **limits)
    except CannotGrade as exc:
        known = expected_lab in lab_ids()
        max_score = load_lab(expected_lab).max_score if expected_lab and known else 0.0
        return GradeResult.not_graded(expected_lab, str(exc), max_score)


def _worker(tasks, results) -> None:
    """A grading worker: grade what arrives, until told to stop."""
    import resource

    from grader.grade import collect_garbage_less_often  # the grader (and moto), up front

    collect_garbage_less_often()
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    while True:
        task = tasks.get()
        if task is None:
            return
        number, path, expected_lab, limits = task
        try:
            result = grade_submission(Path(path), expected_lab, limits)
        except Exception as exc:  # noqa: BLE001 - a grader bug must not stop the class
            result = GradeResult.not_graded(
                expected_lab, f"the grader failed: {type(exc).__name__}: {exc}")
        results.put((number, result))


class _Pool:
    """``jobs`` grading workers; one that outlives a submission's hard limit is replaced."""

    def __init__(self, jobs: int, hard_limit_s: float):
        self._context = multiprocessing.get_context("spawn")
        self._results = self._context.Queue()
        self._hard_limit_s = hard_limit_s
        self._workers = [self._start() for _ in range(jobs)]

    def _start(self):
        """A new worker, idle, with its own task queue (results share one queue)."""
        tasks = self._context.Queue()
        process = self._context.Process(target=_worker, args=(tasks, self._results),
                                        daemon=True)
        process.start()
        return {"process": process, "tasks": tasks, "task": None, "since": 0.0}

    def run(self, queue: list[tuple], on_result) -> None:
        """Grade every task in ``queue``, calling ``on_result(number, result)`` for each."""
        pending = list(reversed(queue))
        busy = 0
        while pending or busy:
            for worker in self._workers:
                if worker["task"] is None and pending:
                    worker["task"], worker["since"] = pending.pop(), time.monotonic()
                    worker["tasks"].put(worker["task"])
                    busy += 1
            try:
                number, result = self._results.get(timeout=1.0)
            except Exception:  # queue.Empty: check for stuck workers
                busy -= self._replace_stuck(on_result)
                continue
            owner = next((w for w in self._workers
                          if w["task"] is not None and w["task"][0] == number), None)
            if owner is None:
                continue  # from a worker already replaced: its task was settled then
            owner["task"] = None
            busy -= 1
            on_result(number, result)

    def _replace_stuck(self, on_result) -> int:
        """Replace each busy worker that died or outlived the hard limit, settling its task
        as not graded; how many were replaced."""
        replaced = 0
        for index, worker in enumerate(self._workers):
            task = worker["task"]
            stuck = time.monotonic() - worker["since"] > self._hard_limit_s
            if task is not None and (stuck or not worker["process"].is_alive()):
                worker["process"].kill()
                worker["process"].join()
                self._workers[index] = self._start()
                on_result(task[0], GradeResult.not_graded(
                    task[2], f"grading did not finish within {self._hard_limit_s:g} s"))
                replaced += 1
        return replaced

    def close(self) -> None:
        """Stop every worker: asked to, then killed if it does not within 10 s."""
        for worker in self._workers:
            worker["tasks"].put(None)
        for worker in self._workers:
            worker["process"].join(timeout=10)
            if worker["process"].is_alive():
                worker["process"].kill()
            worker["tasks"].close()
        self._results.close()


@dataclass
class Summary:
    """What a batch run did."""

    submissions: int
    graded: int
    skipped: int
    errors: int
    seconds: float
    scores_csv: Path
    gradebooks: tuple[Path, ...] = ()
    late_updated: int = 0  # results not graded again whose ``late`` object changed


def grade_folder(folder: Path, out: Path, *, jobs: int = 2, lab: str | None = None,
                 limits: dict | None = None, progress=None, policy: Policy | None = None,
                 roster: dict | None = None) -> Summary:
    """Grade every submission in ``folder`` that has no current result in ``out``;
    ``progress(submission, result)`` hears of each result (a ``GradeResult``) once stored.
    ``policy`` (``grader.policy.load_policy``) sets due dates and penalties; ``roster``
    (``grader.gradebook.load_roster``) the learners' ids in the LMS gradebooks."""
    from grader.grade import SUBMISSION_TIME_LIMIT_S
    from grader.labs import largest_time_scale

    started = time.monotonic()
    limits = limits or {}
    submissions = find_submissions(folder)
    results, fingerprint = Results(out), grader_fingerprint()
    hashes = {s.key: _sha256(s.path) for s in submissions}
    todo = [s for s in submissions if not results.is_current(s, hashes[s.key], fingerprint)]
    errors = 0

    def on_result(number: int, result: GradeResult) -> None:
        """Store a submission's result, with where it came from, as soon as it is known."""
        nonlocal errors
        submission = todo[number]

        def as_stored(outcome: GradeResult) -> GradeResult:
            """``outcome`` with where it came from, made printable: what is stored."""
            return printable(replace(outcome, student=submission.student,
                                     submission=str(submission.path.relative_to(folder)),
                                     sha256=hashes[submission.key], grader=fingerprint,
                                     late=late_of(policy, submission, outcome.lab,
                                                  outcome.score)))

        result = as_stored(result)
        try:
            results.save(submission, result)
        except (OSError, ValueError) as exc:  # one result that cannot be saved stops no one
            result = as_stored(GradeResult.not_graded(
                result.lab, f"its result could not be saved: {exc}", result.max_score))
            results.save(submission, result)
        errors += bool(result.error)
        if progress:
            progress(submission, result)

    if todo:
        limit_s = limits.get("time_limit_s", SUBMISSION_TIME_LIMIT_S) * largest_time_scale()
        pool = _Pool(max(1, min(jobs, len(todo))), limit_s + HARD_LIMIT_MARGIN_S)
        try:
            pool.run([(n, str(s.path), s.expected_lab or lab, limits)
                      for n, s in enumerate(todo)], on_result)
        finally:
            pool.close()
    graded = {s.key for s in todo}
    late_updated = sum(results.update_late(s, policy) for s in submissions
                       if s.key not in graded)
    scores = results.write_scores(submissions)
    gradebooks = results.write_gradebooks(submissions, roster or {},
                                          policy.columns if policy else {})
    return Summary(len(submissions), len(todo), len(submissions) - len(todo), errors,
                   time.monotonic() - started, scores, gradebooks, late_updated)
