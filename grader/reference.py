"""The reference answers: each lab's solution code, run here from the trusted source.

Hidden tests compare a learner's behaviour with the reference's on generated inputs where
the lab's contract fixes the result (``check_x(learner_function, reference("02-retries")
.function)``). The reference comes from ``grader/source``, which only the grading side has:
the checks in the helper package, which learners also have, never hold a solution.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from grader.labs import answer_cells, load_lab
from grader.submissions import load_notebook

__all__ = ["reference"]


@cache
def _namespace(lab_id: str) -> dict:
    """The names a lab's setup and solution cells define, run once in this process."""
    lab = load_lab(lab_id)
    namespace: dict = {"__name__": f"reference_{lab_id.replace('-', '_')}"}
    for cell in lab.setup + answer_cells(lab, load_notebook(lab_id, "source")):
        exec(compile(cell["source"], f"<reference {lab_id} {cell['label']}>", "exec"),
             namespace)
    return namespace


def reference(lab_id: str) -> SimpleNamespace:
    """A lab's reference answers by name: ``reference("02-retries").full_jitter``."""
    return SimpleNamespace(**{name: value for name, value in _namespace(lab_id).items()
                              if not name.startswith("__")})
