"""The mutation-testing tool itself (``grader.mutation``), without a whole lab's run: which
mutants it makes, the equivalents file, the report's arithmetic, and one real mutant graded.
"""

from __future__ import annotations

import pytest

from grader.labs import lab_ids
from grader.mutation import (
    TESTING_EXCEPTION_DEFINITION,
    LabReport,
    Mutant,
    Outcome,
    cell_mutants,
    grade_mutant,
    lab_mutants,
    load_equivalents,
    main,
    selected_operators,
    solution_lines,
)
from grader.submissions import solution_answers

SMALL_CELL = '''LIMIT = 5 + 1


def double(x):
    """Twice x, below 10 + 1."""
    ### BEGIN SOLUTION
    return x * 2
    ### END SOLUTION
'''
HANDLER_CELL = '''def safe(f):
    ### BEGIN SOLUTION
    try:
        return f()
    except ZeroDivisionError:
        return None
    ### END SOLUTION
'''


def _outside_solution(source: str) -> list[str]:
    """A cell's lines outside its solution markers (the markers included)."""
    inside = solution_lines(source)
    return [line for number, line in enumerate(source.splitlines(), 1) if number not in inside]


def test_mutants_of_a_small_cell_are_deterministic_and_touch_only_the_solution():
    mutants = cell_mutants("lab", "double", SMALL_CELL)
    assert mutants == cell_mutants("lab", "double", SMALL_CELL)
    assert {m.operator for m in mutants} >= {"core/ReplaceBinaryOperator_Mul_Add",
                                             "core/NumberReplacer"}
    assert {m.line for m in mutants} == {7}  # not the constant, not the docstring
    assert [m.mutated for m in mutants if m.operator == "core/NumberReplacer"] == [
        "return x * 3", "return x * 1"]
    assert all(_outside_solution(m.source) == _outside_solution(SMALL_CELL) for m in mutants)


def test_lab_02_mutants_leave_the_code_given_to_learners_alone():
    answers = solution_answers("02-retries")
    mutants = lab_mutants("02-retries")
    assert {m.cell for m in mutants} == set(answers)
    for mutant in mutants:
        source = mutant.source.removesuffix(TESTING_EXCEPTION_DEFINITION)
        assert _outside_solution(source) == _outside_solution(answers[mutant.cell]), \
            mutant.describe()
    assert len({m.key for m in mutants}) == len(mutants)  # every mutant has its own name


def test_an_except_clause_mutant_catches_nothing_rather_than_raising_name_error():
    [mutant] = [m for m in cell_mutants("lab", "safe", HANDLER_CELL)
                if m.operator == "core/ExceptionReplacer"]
    namespace: dict = {}
    exec(mutant.source, namespace)
    with pytest.raises(ZeroDivisionError):
        namespace["safe"](lambda: 1 / 0)


def test_the_operators_are_cosmic_rays_core_less_arithmetic_to_bitwise():
    operators = selected_operators()
    assert "core/ReplaceBinaryOperator_Add_Sub" in operators
    assert "core/ReplaceBinaryOperator_BitOr_Add" in operators
    assert "core/ReplaceBinaryOperator_Add_BitOr" not in operators
    assert "core/ZeroIterationForLoop" in operators
    assert not {"core/VariableReplacer", "core/VariableInserter"} & set(operators)


def test_the_equivalents_file_names_real_mutants_each_with_a_reason():
    equivalents = load_equivalents()
    labs = {key[0] for key in equivalents}
    assert labs <= set(lab_ids())
    mutant_keys = {mutant.key for lab in labs for mutant in lab_mutants(lab)}
    for (lab, cell, operator, mutated, occurrence), reason in equivalents.items():
        assert cell in solution_answers(lab), f"{lab} has no answer cell {cell}"
        assert (lab, cell, operator, mutated, occurrence) in mutant_keys, \
            f"no {operator} mutant of {lab} {cell} makes: {mutated}"
        assert reason.strip() and "\n" not in reason


def test_an_equivalents_entry_without_a_reason_is_an_error(tmp_path):
    path = tmp_path / "equivalent.toml"
    path.write_text('[[equivalent]]\nlab = "02-retries"\ncell = "backoff"\n'
                    'operator = "core/NumberReplacer"\nmutated = "x"\n')
    with pytest.raises(ValueError, match="reason"):
        load_equivalents(path)


def test_the_score_leaves_out_equivalent_survivors_and_lists_the_others():
    def mutant(line: int, mutated: str) -> Mutant:
        return Mutant("lab", "cell", line, "core/NumberReplacer", 0, "x = 1", mutated, "")

    mutants = [mutant(1, "x = 2"), mutant(2, "x = 0"), mutant(3, "y = 2"), mutant(4, "y = 0")]
    outcomes = [Outcome("killed", "test_x"), Outcome("timeout", "test_x"),
                Outcome("survived"), Outcome("survived")]
    report = LabReport("lab", mutants, mutants, {mutants[3].key: "y is unused"}, outcomes)
    assert (report.killed, len(report.survivors), len(report.equivalent)) == (2, 2, 1)
    assert report.score == pytest.approx(2 / 3) and not report.passes
    assert "  survived: cell:3 core/NumberReplacer: x = 1 -> y = 2" in report.text()
    assert "y = 0" not in report.text()


def test_an_unknown_lab_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["99-nope"])
    assert stopped.value.code == 2
    assert "no such lab: 99-nope" in capsys.readouterr().err


def test_a_real_mutant_of_lab_02_is_killed_at_its_first_failing_test():
    [mutant] = [m for m in lab_mutants("02-retries") if m.cell == "backoff"
                and m.mutated == "return min(cap, base / 2**attempt)"]
    outcome = grade_mutant(mutant, test_time_limit_s=10.0)
    assert (outcome.status, outcome.detail) == ("killed", "test_exponential_backoff")
