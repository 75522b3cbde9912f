"""nbgrader configuration of the course: run nbgrader commands from this folder.

The hand-edited source notebooks (solutions and hidden tests) live in ``source/``.
``nbgrader generate_assignment LAB`` writes the learner's notebook to ``../labs/LAB/`` and
``nbgrader generate_solution LAB`` the solution notebook to ``../solutions/LAB/``.
"""

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - nbgrader provides it when it loads this file

c.CourseDirectory.course_id = "resilient-cloud-systems"
c.CourseDirectory.root = "."
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "../labs"
c.CourseDirectory.solution_directory = "../solutions"

c.IncludeHeaderFooter.header = "source/header.ipynb"
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Kernels nbgrader starts inherit this: a lab's "run the visible tests" cell then stands
# aside, since nbgrader grades the test cells themselves.
import os  # noqa: E402

os.environ["RESILIENCE_GRADING"] = "nbgrader"

# A learner's cell that runs past this is interrupted; grading goes on with the next cell.
c.Execute.timeout = 60
c.Execute.allow_errors = True

# Solutions are generated, not run: notebooks in git carry no outputs (the tests run them).
from nbgrader.preprocessors import ClearMarkScheme, ClearOutput, IncludeHeaderFooter, LockCells  # noqa: E402,I001

c.GenerateSolution.preprocessors = [IncludeHeaderFooter, LockCells, ClearOutput, ClearMarkScheme]
