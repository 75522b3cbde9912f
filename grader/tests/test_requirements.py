"""Every lab's requirement table is complete and true to its instructions.

A lab's checks module holds ``REQUIREMENTS`` (``resilience.checks.requirements``): each
requirement its instructions state, numbered as the instructions print it (``**3.2**``),
in the instructions' own words, with the tests that enforce it. Here: every requirement has
a test, every test enforces a requirement, every number is printed in the instructions and
every sentence is theirs.
"""

from __future__ import annotations

import re

import pytest

from grader.labs import lab_ids, load_lab
from grader.submissions import load_notebook
from resilience.checks.requirements import requirement_line, requirements_of

REQUIREMENT_ID = re.compile(r"^\d+\.\d+$")


def _instructions(lab_id: str) -> str:
    """The lab's markdown, as the learner reads it, with whitespace made single spaces."""
    cells = load_notebook(lab_id, "release")["cells"]
    text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return " ".join(text.split())


@pytest.mark.parametrize("lab_id", lab_ids())
def test_every_requirement_is_numbered_quoted_and_enforced(lab_id):
    requirements = requirements_of(lab_id)
    assert requirements, f"{lab_id}'s checks module has no REQUIREMENTS table"
    text = _instructions(lab_id)
    tests = {test.grade_id for test in load_lab(lab_id).tests}
    ids = [requirement.id for requirement in requirements]
    assert len(ids) == len(set(ids)), f"requirement numbers repeat: {ids}"
    for requirement in requirements:
        assert REQUIREMENT_ID.match(requirement.id), f"{requirement.id}: number it as 3.2"
        assert f"**{requirement.id}**" in text, (
            f"{requirement.id} is not printed in the instructions as **{requirement.id}**")
        says = " ".join(requirement.says.split())
        assert says and says in text, (
            f"{requirement.id} does not quote the instructions: {requirement.says!r}")
        assert requirement.tests, f"{requirement.id} has no test that enforces it"
        unknown = set(requirement.tests) - tests
        assert not unknown, f"{requirement.id} names tests the lab lacks: {sorted(unknown)}"


@pytest.mark.parametrize("lab_id", lab_ids())
def test_every_test_enforces_a_requirement(lab_id):
    enforcing = {test for requirement in requirements_of(lab_id) for test in requirement.tests}
    idle = [test.grade_id for test in load_lab(lab_id).tests if test.grade_id not in enforcing]
    assert not idle, f"tests that enforce no requirement of the table: {idle}"


@pytest.mark.parametrize("lab_id", lab_ids())
def test_every_numbered_line_of_the_instructions_is_in_the_table(lab_id):
    printed = set(re.findall(r"\*\*(\d+\.\d+)\*\*", _instructions(lab_id)))
    tabled = {requirement.id for requirement in requirements_of(lab_id)}
    assert printed <= tabled, f"numbered in the instructions but not in the table: " \
                              f"{sorted(printed - tabled)}"


def test_a_failing_test_names_its_requirements():
    lab_id = lab_ids()[0]
    requirement = requirements_of(lab_id)[0]
    line = requirement_line(lab_id, requirement.tests[0])
    assert requirement.id in line and line.startswith("(This test checks requirement")
    assert requirement_line(lab_id, "no_such_test") == ""
