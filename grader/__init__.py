"""The grading side of the course: the nbgrader course in this folder and the
``python -m grader`` command that grades submissions against its trusted source."""
