"""The grading command line.

    python -m grader grade SUBMISSION.ipynb [--json]
    python -m grader batch SUBMISSIONS --out RESULTS [--jobs N] [--lab LAB]

``grade`` exits 0 whenever grading completed, whatever the score; 2 with a one-line error on
standard error when the input could not be graded at all. ``batch`` grades a folder (see
``grader.batch``), prints one line per submission graded, and exits 0 once every result is
written, whatever the scores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def _grade(args) -> int:
    """``grade``: one submission's result, as a report or as the contract's JSON."""
    from grader.feedback import text
    from grader.grade import CannotGrade, collect_garbage_less_often, grade_file

    collect_garbage_less_often()
    try:
        result = grade_file(args.submission)
    except CannotGrade as exc:
        print(f"grader: cannot grade: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result.to_json(), sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text(result.to_json()))
    return 0


def _batch(args) -> int:
    """``batch``: grade a folder, a line per submission as its result is stored."""
    from grader.batch import grade_folder
    from grader.result import printable

    if not os.path.isdir(args.submissions):
        print(f"grader: no such folder: {args.submissions}", file=sys.stderr)
        return 2

    def progress(submission, result) -> None:
        """Print one submission's line: its score, or why it was not graded."""
        status = f"not graded: {result.error}" if result.error else \
            f"{result.score:g} / {result.max_score:g}"
        print(printable(f"{submission.key}: {status}"), flush=True)

    limits = {k: v for k, v in (("time_limit_s", args.time_limit),
                                ("test_time_limit_s", args.test_time_limit)) if v}
    summary = grade_folder(args.submissions, args.out, jobs=args.jobs, lab=args.lab,
                           limits=limits, progress=progress)
    print(f"{summary.submissions} submissions: {summary.graded} graded "
          f"({summary.errors} not gradable), {summary.skipped} unchanged since their last "
          f"grading, in {summary.seconds:.1f} s; scores in {summary.scores_csv}")
    return 0


def main(argv=None) -> int:
    """Parse the command line and run its command; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade one submitted lab notebook")
    grade.add_argument("submission", help="path to the submitted .ipynb")
    grade.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    batch = commands.add_parser("batch", help="grade a folder of submissions")
    batch.add_argument("submissions", help="a folder of notebooks, or nbgrader's submitted/")
    batch.add_argument("--out", required=True, help="the folder for results and feedback")
    batch.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                       help="submissions graded at once (default: one per core)")
    batch.add_argument("--lab", help="the lab every notebook in a flat folder must be")
    batch.add_argument("--time-limit", type=float, help="seconds for one submission's tests")
    batch.add_argument("--test-time-limit", type=float, help="seconds for any one test")
    args = parser.parse_args(argv)
    return _grade(args) if args.command == "grade" else _batch(args)


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
