"""Lay the grader's feedback pages out as ``nbgrader release_feedback`` reads them.

    python grader/classroom/nbgrader_feedback.py COURSE RESULTS

``python -m grader batch COURSE --out RESULTS`` writes one page a submission,
``RESULTS/feedback/<student>/<lab>.html``. nbgrader releases
``COURSE/feedback/<student>/<lab>/<notebook>.html``, beside the submission's
``timestamp.txt`` and ``submission_secret.txt`` (which ``nbgrader collect`` put in
``COURSE/submitted/<student>/<lab>/``): the secret names the released page, so only the
learner who holds it (in their own nbgrader cache) can fetch it. Prints each page laid out.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


def lay_out(course: Path, results: Path) -> list[Path]:
    """Copy each collected submission's page, and its timestamp and secret, into
    ``course/feedback``; a submission without a page (not graded yet) is left out."""
    laid_out = []
    for notebook in sorted((course / "submitted").glob("*/*/*.ipynb")):
        folder = notebook.parent
        student, lab = folder.parent.name, folder.name
        page = results / "feedback" / student / f"{lab}.html"
        if not page.is_file():
            continue
        target = course / "feedback" / student / lab
        target.mkdir(parents=True, exist_ok=True)
        for name in SUBMISSION_FILES:
            shutil.copyfile(folder / name, target / name)
        shutil.copyfile(page, target / f"{notebook.stem}.html")
        laid_out.append(target / f"{notebook.stem}.html")
    return laid_out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    course_folder, results_folder = map(Path, sys.argv[1:])
    for path in lay_out(course_folder, results_folder):
        print(path)
