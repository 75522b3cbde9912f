"""Run a lab's visible tests in the learner's kernel and print a short summary.

A lab's "Run the visible tests" cell calls ``run_visible_tests``: it runs every test cell
of the lab's notebook (as the learner's copy holds them: visible tests only) against the
answers defined in the kernel, and prints what passed, what failed with the very message
the grader gives (``resilience.checks.explain``), and what to look at next. One failing test
never hides the others (not even one whose code calls ``exit()``), and nothing prints a
traceback.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import textwrap
from pathlib import Path

from resilience.checks import TooManyCalls
from resilience.checks.explain import explain
from resilience.checks.requirements import requirement_line


def _tests(notebook: dict) -> list[tuple[str, str, str, float]]:
    """(grade_id, first line of the docstring, source, points) of each visible test cell:
    one that calls a check (a hidden test's cell, in the learner's copy, holds only its
    docstring and import)."""
    tests = []
    for cell in notebook.get("cells", []):
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and nbgrader.get("grade"):
            source = "".join(cell.get("source", ""))
            try:
                body = ast.parse(source).body
            except SyntaxError:
                continue
            if not any(isinstance(node, ast.Call) for node in ast.walk(ast.Module(body, []))):
                continue  # hidden: graded by the last cell
            docstring = (body[0].value.value if body and isinstance(body[0], ast.Expr)
                         and isinstance(body[0].value, ast.Constant) else nbgrader["grade_id"])
            tests.append((nbgrader["grade_id"], str(docstring).strip().splitlines()[0],
                          source, float(nbgrader.get("points", 0))))
    return tests


def run_visible_tests(notebook: str, namespace: dict | None = None) -> None:
    """Run the visible tests of ``notebook`` (a file in the current folder: the lab, where
    its kernel runs) against the names in ``namespace`` (the caller's, by default)."""
    if os.environ.get("RESILIENCE_GRADING"):  # set by grader/nbgrader_config.py
        print("(Not run while nbgrader grades this notebook: the test cells count instead.)")
        return
    namespace = namespace if namespace is not None else sys._getframe(1).f_globals
    path = Path(notebook)
    try:
        tests = _tests(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        print(f"Could not read {path.name} in {Path.cwd()}: open the lab from its own folder "
              "and keep its file name.")
        return
    failed, earned, total = [], 0.0, 0.0
    for grade_id, description, source, points in tests:
        total += points
        try:
            exec(compile(source, f"<{description}>", "exec"), namespace)
        except (Exception, SystemExit, TooManyCalls) as exc:  # each one a line of the summary
            words = "\n".join(filter(None, [explain(exc), requirement_line(path.stem,
                                                                             grade_id)]))
            failed.append((description, words))
            print(f"  FAIL  {description}")
        else:
            earned += points
            print(f"  pass  {description}")
    print(f"\n{len(tests) - len(failed)} of {len(tests)} visible tests pass "
          f"({earned:g} of {total:g} points).")
    if failed:
        description, message = failed[0]
        print(f"\nLook at this one next: {description}\n" + textwrap.indent(
            "\n".join(textwrap.fill(line, 88) for line in message.splitlines()), "    "))
        if len(failed) > 1:
            print(f"\n({len(failed) - 1} more failing; fix this one first, then run this "
                  "cell again.)")
    else:
        print("All visible tests pass. Hidden tests grade the same functions with harder "
              "cases: save the notebook and run the last cell for your full score.")
