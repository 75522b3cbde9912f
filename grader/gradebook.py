"""Gradebooks an LMS imports as is: Canvas's and Moodle's CSV layouts, one column per lab.

Each learner is the folder name the batch uses; an optional roster CSV (``--roster``) maps
it to the LMS's ids. Its header names any of ``ROSTER_COLUMNS``; only ``student`` (the folder
name) is required, one row per learner::

    student,name,canvas_id,sis_user_id,sis_login_id,section,email,username,id_number
    ada,"Lovelace, Ada",1201,S0001,ada,Section 1,ada@example.org,ada,S0001

- Canvas (``gradebook-canvas.csv``): ``Student, ID, SIS User ID, SIS Login ID, Section``,
  then a column per lab, a ``Points Possible`` row first, as Canvas's own export has them.
  Without a roster row, ``SIS Login ID`` holds the folder name; without a name, so does
  ``Student``.
- Moodle (``gradebook-moodle.csv``): ``Username, ID number, Email address``, then a column
  per lab; Moodle's import maps one identifier column to its users. Without a username in
  the roster, ``Username`` holds the folder name.

A cell holds the lab's final score (after any late penalty); a lab a learner did not submit
is left empty. The layouts follow the LMSs' import guides (cited in grader/README.md).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

ROSTER_COLUMNS = ("student", "name", "canvas_id", "sis_user_id", "sis_login_id", "section",
                  "email", "username", "id_number")
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "Points Possible"
MOODLE_IDENTITY = ("Username", "ID number", "Email address")


class RosterError(ValueError):
    """A roster that cannot be used: its one-line reason."""


def load_roster(path: Path) -> dict[str, dict[str, str]]:
    """Each learner's row of the roster CSV, by folder name; ``RosterError`` for a file
    that cannot be read, an unknown column, no ``student`` column or a learner twice."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"cannot read it: {exc}") from None
    unknown = [name for name in header if name not in ROSTER_COLUMNS]
    if unknown or "student" not in header:
        problem = f"unknown column {unknown[0]!r}" if unknown else "no 'student' column"
        raise RosterError(f"{problem} (the columns: {', '.join(ROSTER_COLUMNS)})")
    roster: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows, 2):
        student = (row.get("student") or "").strip()
        if not student or student in roster:
            raise RosterError(f"line {number}: " + ("no student" if not student else
                                                    f"{student!r} is listed twice"))
        roster[student] = {k: (v or "").strip() for k, v in row.items() if k}
    return roster


def _table(header: list[str], rows: list[list]) -> str:
    """CSV text of ``header`` and ``rows``, numbers as the scores CSV writes them."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"{v:g}" if isinstance(v, float) else v for v in row])
    return text.getvalue()


def _scores(grades: dict[str, float], labs: list[str]) -> list:
    """A learner's cells, lab by lab: the score, or empty where nothing was graded."""
    return [grades.get(lab, "") for lab in labs]


def canvas(grades: dict[str, dict[str, float]], points: dict[str, float],
           roster: dict[str, dict[str, str]], columns: dict[str, str]) -> str:
    """Canvas's gradebook CSV: identity columns, a column per lab (``columns`` renames one,
    e.g. to ``Lab 2 (1234)``, Canvas's name for an existing assignment), points possible."""
    labs = sorted(points)
    header = [*CANVAS_IDENTITY, *(columns.get(lab, lab) for lab in labs)]
    rows: list[list] = [[CANVAS_POINTS_ROW, "", "", "", "", *(points[lab] for lab in labs)]]
    for student in sorted(grades):
        who = roster.get(student) or {"sis_login_id": student}
        rows.append([who.get("name") or student, who.get("canvas_id", ""),
                     who.get("sis_user_id", ""), who.get("sis_login_id", ""),
                     who.get("section", ""), *_scores(grades[student], labs)])
    return _table(header, rows)


def moodle(grades: dict[str, dict[str, float]], labs: list[str],
           roster: dict[str, dict[str, str]], columns: dict[str, str]) -> str:
    """Moodle's grade import CSV: identifier columns to map from, then a column per lab."""
    labs = sorted(labs)
    header = [*MOODLE_IDENTITY, *(columns.get(lab, lab) for lab in labs)]
    rows = []
    for student in sorted(grades):
        who = roster.get(student, {})
        rows.append([who.get("username") or student, who.get("id_number", ""), who.get("email", ""),
                     *_scores(grades[student], labs)])
    return _table(header, rows)
