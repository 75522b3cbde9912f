"""The grading command line.

    python -m grader grade SUBMISSION.ipynb [--json | --format json|gradescope|prairielearn]
    python -m grader batch SUBMISSIONS --out RESULTS [--jobs N] [--lab LAB]
                           [--policy course.toml] [--roster roster.csv]
    python -m grader gradescope LAB --out DIR [--visibility TEST=WHEN ...]
    python -m grader prairielearn LAB --out DIR [--image IMAGE]
    python -m grader report RESULTS --out report.html [--course-url URL]

``grade`` exits 0 whenever grading completed, whatever the score; 2 with a one-line error on
standard error when the input could not be graded at all. ``batch`` grades a folder (see
``grader.batch``), prints one line per submission graded, and exits 0 once every result is
written, whatever the scores (2, before grading anything, for a policy or roster file it
cannot use). ``report`` writes the class dashboard of a batch's results (see
``grader.report``) and exits 0; 2, writing nothing, with a one-line reason when there is
nothing usable to report or the page cannot be written. ``gradescope`` and ``prairielearn``
write a platform's bundle for one lab (see ``grader.platforms``); on the platform, the
bundle runs ``gradescope-run ROOT`` or ``prairielearn-run ROOT``, which always write a
``results.json`` and exit 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def _grade(args) -> int:
    """``grade``: one submission's result, as a report or as the contract's JSON in one of
    its shapes (``--format``)."""
    from grader.feedback import text
    from grader.grade import CannotGrade, collect_garbage_less_often, grade_file
    from grader.platforms import shaped

    collect_garbage_less_often()
    try:
        result = grade_file(args.submission)
    except CannotGrade as exc:
        print(f"grader: cannot grade: {exc}", file=sys.stderr)
        return 2
    format_name = "json" if args.json else args.format
    if format_name:
        json.dump(shaped(result.to_json(), format_name), sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text(result.to_json()))
    return 0


def _batch(args) -> int:
    """``batch``: grade a folder, a line per submission as its result is stored."""
    from grader.batch import grade_folder
    from grader.gradebook import RosterError, load_roster
    from grader.labs import lab_ids
    from grader.policy import PolicyError, load_policy
    from grader.result import printable

    if not os.path.isdir(args.submissions):
        print(f"grader: no such folder: {args.submissions}", file=sys.stderr)
        return 2
    try:
        policy = load_policy(args.policy, lab_ids()) if args.policy else None
        roster = load_roster(args.roster) if args.roster else None
    except (PolicyError, RosterError) as exc:
        print(printable(f"grader: {args.roster if isinstance(exc, RosterError) else args.policy}"
                        f": {' '.join(str(exc).split())}"), file=sys.stderr)
        return 2

    def progress(submission, result) -> None:
        """Print one submission's line: its score, or why it was not graded."""
        status = f"not graded: {result.error}" if result.error else \
            f"{result.score:g} / {result.max_score:g}"
        print(printable(f"{submission.key}: {status}"), flush=True)

    limits = {k: v for k, v in (("time_limit_s", args.time_limit),
                                ("test_time_limit_s", args.test_time_limit)) if v}
    summary = grade_folder(args.submissions, args.out, jobs=args.jobs, lab=args.lab,
                           limits=limits, progress=progress, policy=policy,
                           roster=roster)
    print(f"{summary.submissions} submissions: {summary.graded} graded "
          f"({summary.errors} not gradable), {summary.skipped} unchanged since their last "
          f"grading ({summary.late_updated} with a new late penalty), in "
          f"{summary.seconds:.1f} s; scores in {summary.scores_csv}, gradebooks in "
          f"{' and '.join(map(str, summary.gradebooks))}")
    return 0


def _report(args) -> int:
    """``report``: the class dashboard of a batch's results folder."""
    from grader.report import NoResults, skipped_line, write_report
    from grader.result import printable

    started = time.monotonic()
    try:
        found = write_report(Path(args.results), Path(args.out), args.course_url)
    except NoResults as exc:
        print(printable(f"grader: {exc}"), file=sys.stderr)
        return 2
    except OSError as exc:
        print(printable(f"grader: cannot write {args.out}: {exc.strerror or exc}"),
              file=sys.stderr)
        return 2
    skipped = f", {found.skipped_count} skipped ({skipped_line(found.skipped)})" \
        if found.skipped else ""
    print(printable(f"class dashboard of {len(found.results)} results{skipped} in "
                    f"{args.out}, in {time.monotonic() - started:.1f} s"))
    return 0


def _bundle(args) -> int:
    """``gradescope`` and ``prairielearn``: write one lab's bundle for that platform."""
    from grader import platforms

    try:
        if args.command == "gradescope":
            overrides = dict(item.partition("=")[::2] for item in args.visibility)
            made = platforms.write_gradescope_bundle(args.lab, Path(args.out), overrides)
            print(f"Gradescope autograder for {args.lab} in {args.out}; upload {made}")
        else:
            made = platforms.write_prairielearn_question(args.lab, Path(args.out), args.image)
            print(f"PrairieLearn question for {args.lab} in {made}; copy {args.out}'s folders "
                  "into your course, and build the grading image from grading-image/")
    except ValueError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    return 0


def _platform_run(args) -> int:
    """``gradescope-run`` and ``prairielearn-run``: grade the platform's submission under
    ROOT. Whatever goes wrong, a results.json with score 0 and the reason in a line."""
    from grader import platforms
    from grader.result import GradeResult

    run, shape = {"gradescope-run": (platforms.run_gradescope, "gradescope"),
                  "prairielearn-run": (platforms.run_prairielearn, "prairielearn")}[args.command]
    try:
        run(Path(args.root))
    except Exception as exc:  # noqa: BLE001 - a broken bundle still owes the platform a result
        reason = " ".join(f"the autograder is misconfigured ({type(exc).__name__}: {exc})"
                          .split())
        result = GradeResult.not_graded(None, reason).to_json()
        platforms.write_results(Path(args.root) / "results" / "results.json",
                                platforms.shaped(result, shape))
        print(f"grader: {reason}", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    """Parse the command line and run its command; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade one submitted lab notebook")
    grade.add_argument("submission", help="path to the submitted .ipynb")
    grade.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    grade.add_argument("--format", choices=("json", "gradescope", "prairielearn"),
                       help="print the result as JSON in this shape: the course's contract, "
                            "Gradescope's results.json or PrairieLearn's")
    batch = commands.add_parser("batch", help="grade a folder of submissions")
    batch.add_argument("submissions", help="a folder of notebooks, or nbgrader's submitted/")
    batch.add_argument("--out", required=True, help="the folder for results and feedback")
    batch.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                       help="submissions graded at once (default: one per core)")
    batch.add_argument("--lab", help="the lab every notebook in a flat folder must be")
    batch.add_argument("--time-limit", type=float, help="seconds for one submission's tests")
    batch.add_argument("--test-time-limit", type=float, help="seconds for any one test")
    batch.add_argument("--policy", help="a TOML file of due dates, the late penalty and "
                                        "extensions (see grader/README.md)")
    batch.add_argument("--roster", help="a CSV mapping learners' folder names to their LMS "
                                        "ids, for the gradebooks (see grader/gradebook.py)")
    report = commands.add_parser("report", help="write the class dashboard of a batch's "
                                                "results, one HTML page")
    report.add_argument("results", help="the folder `batch --out` wrote")
    report.add_argument("--out", required=True, help="the HTML file to write")
    report.add_argument("--course-url", default="",
                        help="what goes before a chapter's path (course/NN-....ipynb) in the "
                             "page's links, e.g. your JupyterLab's /lab/tree/ URL")
    gradescope = commands.add_parser("gradescope", help="write a lab's Gradescope autograder")
    gradescope.add_argument("lab", help="the lab, e.g. 02-retries")
    gradescope.add_argument("--out", required=True, help="the folder for the bundle")
    gradescope.add_argument("--visibility", action="append", default=[], metavar="TEST=WHEN",
                            help="when learners see a test: visible, after_due_date, "
                                 "after_published or hidden (repeatable)")
    prairielearn = commands.add_parser("prairielearn",
                                       help="write a lab's PrairieLearn question")
    prairielearn.add_argument("lab", help="the lab, e.g. 02-retries")
    prairielearn.add_argument("--out", required=True, help="the folder for the course files")
    prairielearn.add_argument("--image", default="YOUR-DOCKERHUB-USER/resilience-grader:1",
                              help="the grading image, built from grading-image/Dockerfile")
    for name, root in (("gradescope-run", "/autograder"), ("prairielearn-run", "/grade")):
        run = commands.add_parser(name, help=f"(run by the bundle) grade the submission "
                                             f"under ROOT ({root})")
        run.add_argument("root", help=f"the platform's folder, {root} on the platform")
    args = parser.parse_args(argv)
    handlers = {"grade": _grade, "batch": _batch, "report": _report, "gradescope": _bundle,
                "prairielearn": _bundle, "gradescope-run": _platform_run,
                "prairielearn-run": _platform_run}
    return handlers[args.command](args)


if __name__ == "__main__":
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): not a grading failure
        status = 0
    sys.stderr.flush()
    # Skip the interpreter's teardown of moto, boto3 and friends (about half a second):
    # the result is written, and the learner's process is already ended. (A batch run has
    # imported none of them, and its queues clean up after themselves on a normal exit.)
    if sys.argv[1:2] == ["batch"]:
        sys.exit(status)
    os._exit(status)
