"""Mutation testing of the hidden tests: how many small bugs in each lab's reference answers
the lab's tests catch.

    python -m grader.mutation [LAB ...] [--jobs 2] [--limit N] [--json PATH]

For each lab, the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` in the
solution's answer cells is mutated, one change at a time, by cosmic-ray's own operators
(``cosmic-ray``, pinned in pyproject.toml). Each mutant notebook is graded by
``grader.grade.grade_notebook``, exactly as a learner's would be, and stops at its first
failing test. A mutant is:

- killed: a test failed;
- timeout: a test failed by using up its time limit (counts as killed);
- incompetent: the grader raised instead of grading it (counts as killed);
- survived: full marks. A survivor listed in ``grader/mutation_equivalent.toml`` is
  equivalent (it behaves as the solution does, as far as the lab's contract goes) and is
  left out of the score; any other is a bug the tests miss.

A lab's score is killed / (mutants - equivalent); the target is 90% in every lab, and the
command exits 1 if a lab misses it (or its solution does not score full marks). Each
survivor that is not equivalent is printed as ``cell:line operator: original -> mutated``.

Why not cosmic-ray's ``init``/``exec`` command line: it mutates files on disk in place and
runs a shell command per mutant. Answer cells are not files but cells of a notebook; they
would have to be written out and read back in, one at a time, by a command that pays a
Python start (~1.5 s, moto included) before the grader's own. So this drives cosmic-ray's
operators in process instead, through its own machinery: ``cosmic_ray.plugins`` for the
operators, ``cosmic_ray.ast`` to find where each applies, and
``cosmic_ray.mutating.MutationVisitor`` to apply one. Mutants are graded in a pool of
``--jobs`` warm workers.

Which mutants:

- only inside the solution markers: code outside them (constants, signatures, docstrings)
  is given to the learner in the release notebook. cosmic-ray's operators never change a
  string literal, so docstrings are never mutated either;
- every core operator but two kinds. A binary arithmetic operator (``+ - * / // % **``)
  is replaced by the other arithmetic operators but not by a bitwise or shift one: on the
  labs' floats those raise TypeError at the first call, so they measure no more than the
  arithmetic swaps on the same spot do, and they were half of all mutants.
  ``VariableReplacer`` and ``VariableInserter`` need a variable named for each run and
  insert random numbers: neither generic nor repeatable;
- a mutant that is not valid Python is left out: it is no program, so no test is judged by
  it (cosmic-ray takes the ``**`` of a dict display, ``{**a, **b}``, for a power, and makes
  ``{*a, **b}``, ``{-a, **b}`` ...);
- ``ExceptionReplacer`` makes ``except E`` into ``except CosmicRayTestingException``, a
  name defined only in cosmic-ray; the mutant cell defines it at its end, so that the
  handler catches nothing, as cosmic-ray means, instead of raising NameError.

An equivalent survivor is named, in ``mutation_equivalent.toml``, by its lab, answer cell,
operator, mutated line and occurrence (the how-manyth mutant of that cell with the same
operator and mutated line: almost always 0), so an edit elsewhere in the lab does not
change which mutant an entry names.
"""

from __future__ import annotations

import argparse
import difflib
import json
import multiprocessing
import sys
import time
import tomllib
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cosmic_ray.plugins
from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.exceptions import CosmicRayTestingException
from cosmic_ray.mutating import MutationVisitor
from cosmic_ray.operators.operator import Operator

from grader.labs import lab_ids
from grader.submissions import SOLUTION_MARKERS, load_notebook, solution_answers, with_answers

TARGET_SCORE = 0.90
EQUIVALENTS_FILE = Path(__file__).resolve().parent / "mutation_equivalent.toml"
ARITHMETIC_OPERATORS = frozenset({"Add", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Pow"})
# A mutant's test may take this many times the solution's slowest test (at least the
# minimum, at most the grader's own limit) before it counts as a timeout: a hanging mutant
# then costs seconds, not the grader's 30 s, and a busy machine still fails none wrongly.
TIME_LIMIT_FACTOR = 4.0
MINIMUM_TEST_TIME_LIMIT_S = 10.0
TIMEOUT_SHARE = 0.9  # a test that failed after this share of its limit timed out
TESTING_EXCEPTION = CosmicRayTestingException.__name__
TESTING_EXCEPTION_DEFINITION = (f"\n\nclass {TESTING_EXCEPTION}(Exception):\n"
                                "    \"\"\"Raised by nothing: cosmic-ray's except-clause "
                                "mutant catches nothing.\"\"\"\n")


@dataclass(frozen=True)
class Mutant:
    """One change to one answer cell of a lab's solution."""

    lab: str
    cell: str  # the answer cell's grade_id
    line: int  # where the change starts, 1-based in the cell
    operator: str  # cosmic-ray's operator name, e.g. core/NumberReplacer
    occurrence: int  # how many earlier mutants of the cell have this operator and mutated line
    original: str  # the changed line(s), whitespace collapsed
    mutated: str  # what they became ("" when removed)
    source: str = field(repr=False)  # the whole mutated cell, as graded

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        """What names this mutant in the equivalents file."""
        return self.lab, self.cell, self.operator, self.mutated, self.occurrence

    def describe(self) -> str:
        """``cell:line operator: original -> mutated``, for a test writer to act on."""
        again = f" [occurrence {self.occurrence}]" if self.occurrence else ""
        return (f"{self.cell}:{self.line} {self.operator}{again}: {self.original} -> "
                f"{self.mutated or '(removed)'}")


@dataclass(frozen=True)
class Outcome:
    """What grading a mutant found: its status and the failing test (or the error)."""

    status: str  # killed, timeout, incompetent or survived
    detail: str = ""
    seconds: float = 0.0


# -- making mutants ------------------------------------------------------------------------------


def solution_lines(source: str) -> set[int]:
    """The cell's line numbers (1-based) between its solution markers: the code a learner
    writes. Everything else is given to the learner in the release notebook."""
    inside, lines = False, set()
    for number, line in enumerate(source.splitlines(), 1):
        marker = SOLUTION_MARKERS.match(line)
        if marker:
            inside = marker.group(1) == "BEGIN"
        elif inside:
            lines.add(number)
    return lines


def is_selected(operator_name: str) -> bool:
    """Whether the run uses this cosmic-ray operator (see the module docstring for the two
    kinds it leaves out, and why)."""
    operator_class = cosmic_ray.plugins.get_operator(operator_name)
    if operator_class.arguments():
        return False
    kind, _, change = operator_name.partition("/")[2].partition("_")
    source_operator, _, target_operator = change.partition("_")
    return not (kind == "ReplaceBinaryOperator" and source_operator in ARITHMETIC_OPERATORS
                and target_operator not in ARITHMETIC_OPERATORS)


def selected_operators() -> list[str]:
    """The names of the operators the run uses, sorted: the same order on every run."""
    return sorted(name for name in cosmic_ray.plugins.operator_names() if is_selected(name))


def _one_line(lines: list[str]) -> str:
    """Some lines of code as one line, whitespace collapsed (cosmic-ray's number mutants
    leave a stray space)."""
    return " / ".join(" ".join(line.split()) for line in lines)


def changed_lines(original: str, mutated: str) -> tuple[int, str, str]:
    """Where ``mutated`` first differs from ``original`` (a 1-based line), and the
    changed lines of each, as one line."""
    before, after = original.splitlines(), mutated.splitlines()
    changes = [opcode for opcode in difflib.SequenceMatcher(
        None, before, after, autojunk=False).get_opcodes() if opcode[0] != "equal"]
    start, end = changes[0][1], changes[-1][2]
    start_after, end_after = changes[0][3], changes[-1][4]
    return start + 1, _one_line(before[start:end]), _one_line(after[start_after:end_after])


def _mutation_points(nodes: list, operator: Operator, allowed: set[int]
                     ) -> Iterator[tuple[int, tuple[int, int]]]:
    """Each place ``operator`` can mutate the parse tree ``nodes`` (all of a cell's, in
    cosmic-ray's order) within the ``allowed`` lines: its occurrence, as cosmic-ray counts
    them over the whole cell, and where it starts."""
    positions = (position for node in nodes for position in operator.mutation_positions(node))
    for occurrence, (start, end) in enumerate(positions):
        if all(line in allowed for line in range(start[0], end[0] + 1)):
            yield occurrence, start


def _compiles(source: str) -> bool:
    """Whether ``source`` is valid Python (quietly: ``x is "a"`` warns, yet compiles)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            compile(source, "<mutant>", "exec")
        except SyntaxError:
            return False
    return True


def cell_mutants(lab: str, cell: str, source: str) -> list[Mutant]:
    """Every mutant of one answer cell's solution code, in the order of the code they
    change."""
    nodes, allowed = list(ast_nodes(get_ast(source))), solution_lines(source)
    found = []
    for operator_name in selected_operators():
        operator = cosmic_ray.plugins.get_operator(operator_name)()
        for occurrence, start in _mutation_points(nodes, operator, allowed):
            mutated = MutationVisitor.mutate_code(source, operator, occurrence)
            if mutated is not None and mutated != source and _compiles(mutated):
                found.append((start, operator_name, mutated))
    mutants, seen = [], Counter[tuple[str, str]]()
    for _, operator_name, mutated in sorted(found, key=lambda item: item[:2]):
        line, original_text, mutated_text = changed_lines(source, mutated)
        if TESTING_EXCEPTION in mutated:
            mutated += TESTING_EXCEPTION_DEFINITION
        mutants.append(Mutant(lab, cell, line, operator_name,
                              seen[operator_name, mutated_text], original_text, mutated_text,
                              mutated))
        seen[operator_name, mutated_text] += 1
    return mutants


def lab_mutants(lab: str) -> list[Mutant]:
    """Every mutant of a lab's solution, answer cell by answer cell, in notebook order."""
    return [mutant for cell, source in solution_answers(lab).items()
            for mutant in cell_mutants(lab, cell, source)]


# -- grading them (in the pool's workers) ----------------------------------------------------


class _TestFailed(Exception):
    """Raised from ``on_test`` at a mutant's first failing test: it is killed, so grading
    stops there (``grade_notebook`` closes the learner's process on the way out)."""

    def __init__(self, test: str, seconds: float):
        super().__init__(test)
        self.test, self.seconds = test, seconds


def reference_time_limit(lab: str) -> float:
    """Grade the lab's unmutated solution, which must score full marks (or every mutant
    would count as killed), and return the per-test time limit for its mutants."""
    # Imported by the pool's workers alone: the command's own process never grades.
    from grader.grade import TEST_TIME_LIMIT_S, grade_notebook

    seconds: list[float] = []
    result = grade_notebook(load_notebook(lab), expected_lab=lab,
                            on_test=lambda _, took: seconds.append(took))
    if result.score < result.max_score:
        failed = ", ".join(test.name for test in result.tests if not test.passed)
        raise RuntimeError(f"the solution of {lab} does not score full marks (fails {failed})")
    return min(TEST_TIME_LIMIT_S, max(MINIMUM_TEST_TIME_LIMIT_S,
                                      TIME_LIMIT_FACTOR * max(seconds, default=0.0)))


def grade_mutant(mutant: Mutant, test_time_limit_s: float) -> Outcome:
    """Grade one mutant notebook, up to its first failing test."""
    from grader.grade import grade_notebook

    started = time.perf_counter()

    def stop_at_first_failure(result, seconds: float) -> None:
        """Stop grading at the first failed test: the mutant is killed already."""
        if not result.passed:
            raise _TestFailed(result.name, seconds)

    notebook = with_answers(load_notebook(mutant.lab), {mutant.cell: mutant.source})
    try:
        grade_notebook(notebook, expected_lab=mutant.lab, test_time_limit_s=test_time_limit_s,
                       on_test=stop_at_first_failure)
    except _TestFailed as failure:
        timed_out = failure.seconds >= TIMEOUT_SHARE * test_time_limit_s
        return Outcome("timeout" if timed_out else "killed", failure.test,
                       time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - a grader that cannot grade it: incompetent
        return Outcome("incompetent", f"{type(exc).__name__}: {exc}",
                       time.perf_counter() - started)
    return Outcome("survived", "", time.perf_counter() - started)


def _grade_task(task: tuple[Mutant, float]) -> Outcome:
    """``grade_mutant`` for ``Executor.map``, which passes one argument."""
    return grade_mutant(*task)


def _warm_worker() -> None:
    """Import the grader (and moto) once per worker, not once per mutant."""
    import grader.grade  # noqa: F401


# -- the equivalents file ------------------------------------------------------------------------


def load_equivalents(path: Path = EQUIVALENTS_FILE) -> dict[tuple, str]:
    """The survivors judged equivalent, by mutant key, with the reason for each. Every
    entry needs lab, cell, operator, mutated and reason; occurrence defaults to 0."""
    if not path.exists():
        return {}
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    equivalents = {}
    for number, entry in enumerate(entries, 1):
        missing = [name for name in ("lab", "cell", "operator", "mutated", "reason")
                   if not isinstance(entry.get(name), str)]
        if missing or not isinstance(entry.get("occurrence", 0), int):
            raise ValueError(f"{path.name}: entry {number} needs {missing or ['occurrence']} "
                             "(strings; occurrence an integer)")
        key = (entry["lab"], entry["cell"], entry["operator"], _one_line([entry["mutated"]]),
               entry.get("occurrence", 0))
        equivalents[key] = entry["reason"]
    return equivalents


# -- the report ----------------------------------------------------------------------------------


@dataclass
class LabReport:
    """One lab's mutants and what grading each found."""

    lab: str
    every_mutant: list[Mutant]  # all the lab's mutants; ``mutants`` are those graded
    mutants: list[Mutant]
    equivalents: dict[tuple, str]
    outcomes: list[Outcome] = field(default_factory=list)
    error: str = ""  # why the lab could not be measured

    def count(self, *statuses: str) -> int:
        """How many mutants ended in one of ``statuses``."""
        return sum(outcome.status in statuses for outcome in self.outcomes)

    @property
    def survivors(self) -> list[Mutant]:
        """The mutants that scored full marks, equivalent or not."""
        return [mutant for mutant, outcome in zip(self.mutants, self.outcomes, strict=True)
                if outcome.status == "survived"]

    @property
    def equivalent(self) -> list[Mutant]:
        """The survivors listed in the equivalents file."""
        return [mutant for mutant in self.survivors if mutant.key in self.equivalents]

    @property
    def killed(self) -> int:
        """Mutants the tests caught: failed, timed out or incompetent."""
        return self.count("killed", "timeout", "incompetent")

    @property
    def score(self) -> float:
        """killed / (mutants - equivalent); 1.0 when nothing is left to kill."""
        relevant = len(self.outcomes) - len(self.equivalent)
        return self.killed / relevant if relevant else 1.0

    @property
    def passes(self) -> bool:
        """Whether the lab was measured and meets the target."""
        return not self.error and self.score >= TARGET_SCORE

    def stale_equivalents(self) -> list[str]:
        """This lab's entries in the equivalents file that name no mutant, or one the tests
        kill: out of date, to fix or remove."""
        every_key = {mutant.key for mutant in self.every_mutant}
        status = {mutant.key: outcome.status
                  for mutant, outcome in zip(self.mutants, self.outcomes, strict=True)}
        stale = []
        for key in self.equivalents:
            lab, cell, operator, mutated, occurrence = key
            entry = f"{cell} {operator} [occurrence {occurrence}]: {mutated}"
            if lab == self.lab and key not in every_key:
                stale.append(f"{entry}: names no mutant")
            elif lab == self.lab and status.get(key, "survived") != "survived":
                stale.append(f"{entry}: is {status[key]}, not equivalent")
        return stale

    def text(self) -> str:
        """The lab's lines of the printed report."""
        if self.error:
            return f"{self.lab}: not measured: {self.error}"
        limited = (f" (the first {len(self.mutants)} of {len(self.every_mutant)})"
                   if len(self.mutants) < len(self.every_mutant) else "")
        equivalent = self.equivalent
        grading_s = sum(outcome.seconds for outcome in self.outcomes)
        lines = [
            f"{self.lab}: {len(self.mutants)} mutants{limited}: {self.killed} killed "
            f"({self.count('timeout')} by timeout, {self.count('incompetent')} incompetent), "
            f"{len(self.survivors)} survived, {len(equivalent)} of them equivalent; score "
            f"{self.killed}/{len(self.mutants) - len(equivalent)} = {self.score:.1%} "
            f"({'meets' if self.passes else 'under'} the {TARGET_SCORE:.0%} target); "
            f"{grading_s:.0f} s of grading"]
        lines += [f"  survived: {mutant.describe()}" for mutant in self.survivors
                  if mutant not in equivalent]
        lines += [f"  equivalents file: {stale}" for stale in self.stale_equivalents()]
        return "\n".join(lines)

    def to_json(self) -> dict:
        """The lab's report as plain data, every graded mutant included."""
        return {"lab": self.lab, "error": self.error, "mutants": len(self.mutants),
                "every_mutant": len(self.every_mutant), "killed": self.killed,
                "timeout": self.count("timeout"), "incompetent": self.count("incompetent"),
                "survived": len(self.survivors), "equivalent": len(self.equivalent),
                "score": self.score,
                "results": [{**{k: v for k, v in asdict(mutant).items() if k != "source"},
                             **asdict(outcome), "equivalent": mutant.key in self.equivalents}
                            for mutant, outcome in zip(self.mutants, self.outcomes,
                                                       strict=True)]}


# -- the command ---------------------------------------------------------------------------------


def measure(labs: list[str], jobs: int, limit: int | None,
            on_report: Callable[[LabReport], None]) -> list[LabReport]:
    """Grade every mutant of ``labs`` (each lab's first ``limit``) in a pool of ``jobs``
    workers, calling ``on_report`` as each lab's last mutant is graded, labs in order."""
    equivalents = load_equivalents()
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm_worker) as pool:
        reports, tasks = [], []
        for lab, time_limit in zip(labs, pool.map(_reference_or_error, labs), strict=True):
            every_mutant = lab_mutants(lab)
            if isinstance(time_limit, str):
                reports.append(LabReport(lab, every_mutant, [], equivalents, error=time_limit))
                continue
            reports.append(LabReport(lab, every_mutant, every_mutant[:limit], equivalents))
            tasks += [(mutant, time_limit) for mutant in reports[-1].mutants]
        outcomes = pool.map(_grade_task, tasks)  # in order, as they are graded
        for report in reports:
            report.outcomes = [next(outcomes) for _ in report.mutants]
            on_report(report)
    return reports


def _reference_or_error(lab: str) -> float | str:
    """``reference_time_limit``, or why the lab cannot be measured."""
    try:
        return reference_time_limit(lab)
    except Exception as exc:  # noqa: BLE001 - reported, and the other labs go on
        return f"{type(exc).__name__}: {exc}"


def main(argv: list[str] | None = None) -> int:
    """Print each lab's mutation score; 1 if any lab misses the target, else 0."""
    parser = argparse.ArgumentParser(prog="python -m grader.mutation",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", metavar="LAB", help="labs to measure (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants graded at once")
    parser.add_argument("--limit", type=int, help="grade only each lab's first N mutants")
    parser.add_argument("--json", type=Path, help="also write the full report here")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.labs) - set(lab_ids()))
    if unknown:
        parser.error(f"no such lab: {', '.join(unknown)} (the labs: {', '.join(lab_ids())})")
    labs = args.labs or lab_ids()
    started = time.monotonic()
    reports = measure(labs, args.jobs, args.limit,
                      on_report=lambda report: print(report.text(), flush=True))
    print(f"{len(labs)} labs, {sum(len(r.mutants) for r in reports)} mutants, in "
          f"{time.monotonic() - started:.0f} s with {args.jobs} jobs")
    if args.json:
        args.json.write_text(json.dumps([r.to_json() for r in reports], indent=1) + "\n",
                             encoding="utf-8")
    return 0 if all(report.passes for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
