"""The grading command line.

    python -m grader grade SUBMISSION.ipynb [--json]

Exit status 0 whenever grading completed, whatever the score; 2 with a one-line error on
standard error when the input could not be graded at all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def _print_report(result: dict) -> None:
    print(f"{result['lab']}: {result['score']:g} / {result['max_score']:g}")
    for test in result["tests"]:
        mark = "PASS" if test["passed"] else "FAIL"
        print(f"  [{mark}] {test['name']} ({test['score']:g}/{test['max_score']:g})"
              f"  {test['description']}")
        if test["feedback"]:
            for line in test["feedback"].splitlines():
                print(f"         {line}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade one submitted lab notebook")
    grade.add_argument("submission", help="path to the submitted .ipynb")
    grade.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = parser.parse_args(argv)

    from grader.grade import CannotGrade, grade_file

    try:
        result = grade_file(args.submission)
    except CannotGrade as exc:
        print(f"grader: cannot grade: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
    else:
        _print_report(result)
    return 0


if __name__ == "__main__":
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped early (`| head`): not a grading failure
        status = 0
    sys.stderr.flush()
    # Skip the interpreter's teardown of moto, boto3 and friends (about half a second):
    # the result is written, and the learner's process is already ended.
    os._exit(status)
