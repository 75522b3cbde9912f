"""The grading result: what ``python -m grader grade --json`` prints and ``batch`` stores.

``to_json`` gives the course's grading contract as plain data, keys in this order::

    {"lab": "02-retries", "score": 7.0, "max_score": 20.0,
     "tests": [{"name", "description", "score", "max_score", "passed", "feedback"}, ...],
     "notes": ["cell 'backoff' raised PermissionError at line 2: ...", ...]}

A failed test may carry ``"figure"`` too: a PNG (base64) of what broke, such as the
timeline of the capstone run that broke an invariant, for the feedback page.

Then, each only when it is set: ``error`` (a submission that could not be graded at all:
its one-line reason, no tests, a score of 0; made only by ``GradeResult.not_graded``), and
where a batch result came from: ``student``, ``submission``, ``sha256``, ``grader``; and
``late``, when a batch's policy gives its lab a due date (``grader.policy``): when it was
submitted and due, the penalty, and ``final_score``, the score after it (``score`` stays the
score the tests gave).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace

OPTIONAL_KEYS = ("error", "student", "submission", "sha256", "grader", "late")  # in this order


@dataclass(frozen=True)
class TestResult:
    """One test's outcome: its points and no feedback if it passed, 0 points and a teaching
    message if it did not."""

    __test__ = False  # a result, not a test class for pytest to collect

    name: str  # the test's nbgrader grade_id
    description: str  # the first line of its docstring
    score: float
    max_score: float
    passed: bool
    feedback: str
    figure: str = ""  # a PNG, base64-encoded, that shows what broke (few tests draw one)

    def to_json(self) -> dict:
        """The test's part of the contract, as plain data in the contract's key order; the
        figure only when there is one."""
        data = {"name": self.name, "description": self.description, "score": self.score,
                "max_score": self.max_score, "passed": self.passed, "feedback": self.feedback}
        if self.figure:
            data["figure"] = self.figure
        return data


@dataclass(frozen=True)
class GradeResult:
    """A submission's result: every test's outcome and the notes that belong to no one
    test, or (``error``) why it could not be graded; a batch adds where it came from."""

    lab: str | None  # None only when not graded, submitted as no particular lab
    score: float
    max_score: float
    tests: tuple[TestResult, ...]
    notes: tuple[str, ...]
    error: str | None = None
    student: str | None = None
    submission: str | None = None  # its path, relative to the folder a batch graded
    sha256: str | None = None  # of the submitted file's bytes
    grader: str | None = None  # ``grader.batch.grader_fingerprint()``
    late: dict | None = None  # ``grader.policy.Policy.late``: due, submitted, penalty

    @classmethod
    def not_graded(cls, lab: str | None, reason: str, max_score: float = 0.0) -> GradeResult:
        """A submission that could not be graded at all: 0 of ``max_score`` points, no
        tests, and ``reason`` (one line) as its error. The one way such a result is made,
        so every one has the same shape."""
        return cls(lab, 0.0, max_score, (), (), error=reason)

    def to_json(self) -> dict:
        """The contract's plain data, keys in its order; an optional key only when set."""
        data = {"lab": self.lab, "score": self.score, "max_score": self.max_score,
                "tests": [test.to_json() for test in self.tests], "notes": list(self.notes)}
        for key in OPTIONAL_KEYS:
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


def printable(value):
    """``value`` with every string made safe to write as UTF-8: a learner's message may hold
    a lone surrogate, which no file or terminal can take (it becomes ``\\ud800``). Strings,
    lists, tuples, dicts and results (``GradeResult``, ``TestResult``), however nested."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        return [printable(v) for v in value]
    if isinstance(value, tuple):
        return tuple(printable(v) for v in value)
    if isinstance(value, dict):
        return {k: printable(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: printable(getattr(value, f.name))
                                 for f in fields(value)})
    return value
