"""Each lab's requirement table: every requirement its instructions state, numbered as the
instructions number it, and the tests that enforce it.

A lab's checks module holds its table as ``REQUIREMENTS``. The grader and the visible tests
name, in a failing test's feedback, the requirements that test enforces, so a learner can
find the sentence they missed; ``grader/tests/test_requirements.py`` proves the table
complete (every requirement has a test, every test a requirement, and every sentence is
the instructions' own).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

__all__ = ["Requirement", "requirements_of", "enforced_by", "requirement_line"]


@dataclass(frozen=True)
class Requirement:
    """One requirement of a lab's instructions."""

    id: str  # "3.2": section 3's second requirement, as the instructions print it
    says: str  # the requirement in the instructions' own words (a phrase of the markdown)
    tests: tuple[str, ...]  # grade_ids of the test cells that enforce it
    leaves_open: str = ""  # a choice the text leaves to the learner, and how checks accept it


def checks_module_name(lab_id: str) -> str:
    """The checks module of a lab: ``02-retries`` -> ``resilience.checks.retries``."""
    return "resilience.checks." + lab_id.split("-", 1)[1].replace("-", "_")


def requirements_of(lab_id: str) -> tuple[Requirement, ...]:
    """A lab's requirement table (empty for a lab without one)."""
    try:
        module = importlib.import_module(checks_module_name(lab_id))
    except (ImportError, IndexError):
        return ()
    return tuple(getattr(module, "REQUIREMENTS", ()))


def enforced_by(lab_id: str, test: str) -> list[Requirement]:
    """The requirements the test ``test`` (a grade_id) of a lab enforces, in table order."""
    return [requirement for requirement in requirements_of(lab_id) if test in requirement.tests]


def requirement_line(lab_id: str, test: str) -> str:
    """The line a failing test's feedback ends with: the requirements it checks, by number,
    so the learner can find them in the instructions ("" if the table names none)."""
    ids = [requirement.id for requirement in enforced_by(lab_id, test)]
    if not ids:
        return ""
    listed = ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]
    return f"(This test checks requirement{'s' if len(ids) > 1 else ''} {listed} of the lab.)"
