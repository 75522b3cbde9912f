"""Deadlines and late work for a batch: a small TOML file, checked before any grading.

    python -m grader batch SUBMISSIONS --out RESULTS --policy course.toml

The file (every part optional; any other key is refused)::

    [late]
    percent_per_day = 10      # off the score earned, for each started day (24 h) late
    max_percent = 50          # the penalty never passes this (default 100)
    cutoff_days = 7           # later than this many days after the due date: 0 points

    [labs."02-retries"]
    due = 2026-12-01T23:59:00+01:00       # ISO 8601 with a time zone (TOML's or a string)
    gradebook_column = "Lab 2 (1234)"     # the lab's column in the LMS gradebooks

    [[extensions]]                        # one per learner and lab
    student = "ada"                       # the learner's folder name
    lab = "02-retries"
    due = 2026-12-04T23:59:00+01:00

A submission's time is nbgrader's ``timestamp.txt`` beside it (``nbgrader collect`` copies it
from the learner's submission), or else the notebook file's modification time; the result
says which. A lab with no due date gets no penalty and no ``late`` object.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SECONDS_PER_DAY = 24 * 3600
FULL_PENALTY_PERCENT = 100.0
NBGRADER_TIMESTAMP = "timestamp.txt"
FROM_TIMESTAMP = "nbgrader's timestamp.txt"
FROM_FILE_TIME = "the notebook file's modification time"
KEYS = {"": {"late", "labs", "extensions"},
        "late": {"percent_per_day", "max_percent", "cutoff_days"},
        "labs": {"due", "gradebook_column"},
        "extensions": {"student", "lab", "due"}}
UTC_NAMES = {"UTC", "GMT", "Z"}
NUMERIC_OFFSET = re.compile(r"^[+-]\d{2}:?\d{2}$")
ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z_/+-]*$")  # CET, Europe/Berlin


class PolicyError(ValueError):
    """A policy file that cannot be used: its one-line reason."""


@dataclass(frozen=True)
class Policy:
    """Due dates per lab, the penalty rule, and per-learner extensions."""

    due: dict[str, datetime] = field(default_factory=dict)
    extensions: dict[tuple[str, str], datetime] = field(default_factory=dict)
    percent_per_day: float = 0.0
    max_percent: float = FULL_PENALTY_PERCENT
    cutoff_days: float | None = None
    columns: dict[str, str] = field(default_factory=dict)  # lab: its gradebook column

    def late(self, student: str, lab: str | None, submitted_at: datetime, source: str,
             score: float) -> dict | None:
        """The ``late`` object of a result: when it was submitted and due, how late, the
        penalty in percent and in points, and the score after it. None if the lab has no
        due date."""
        if lab not in self.due:
            return None
        extended = (student, lab) in self.extensions
        due = self.extensions[(student, lab)] if extended else self.due[lab]
        late_by_s = max(0.0, (submitted_at - due).total_seconds())
        days_late = math.ceil(late_by_s / SECONDS_PER_DAY)
        past_cutoff = self.cutoff_days is not None and \
            late_by_s > self.cutoff_days * SECONDS_PER_DAY
        percent = FULL_PENALTY_PERCENT if past_cutoff else \
            min(days_late * self.percent_per_day, self.max_percent)
        penalty = round(score * percent / FULL_PENALTY_PERCENT, 2)
        return {"submitted_at": submitted_at.isoformat(timespec="seconds"),
                "submitted_at_from": source, "due": due.isoformat(timespec="seconds"),
                "extension": extended, "late_by_s": late_by_s, "days_late": days_late,
                "past_cutoff": past_cutoff, "penalty_percent": percent, "penalty": penalty,
                "final_score": round(score - penalty, 2)}


def load_policy(path: Path, known_labs: list[str]) -> Policy:
    """Read and check a policy file; ``PolicyError`` with a one-line reason for a file that
    is not TOML, an unknown key or lab, a malformed date or a negative number."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"cannot read it: {exc}") from None
    _check_keys(data, "")
    late = data.get("late", {})
    _check_table(late, "[late]")
    _check_keys(late, "late", "[late]")
    labs = data.get("labs", {})
    _check_table(labs, "[labs]")
    due, columns = {}, {}
    for lab, settings in labs.items():
        _check_lab(lab, known_labs, f'[labs."{lab}"]')
        _check_table(settings, f'[labs."{lab}"]')
        _check_keys(settings, "labs", f'[labs."{lab}"]')
        if "due" in settings:
            due[lab] = _date(settings["due"], f'[labs."{lab}"] due')
        if "gradebook_column" in settings:
            columns[lab] = str(settings["gradebook_column"])
    return Policy(due, _extensions(data.get("extensions", []), due, known_labs),
                  _number(late, "percent_per_day", 0.0),
                  _number(late, "max_percent", FULL_PENALTY_PERCENT),
                  _number(late, "cutoff_days", 0.0) if "cutoff_days" in late else None, columns)


def _extensions(entries, due: dict, known_labs: list[str]) -> dict:
    """The ``[[extensions]]`` entries by (student, lab); each names a lab that has a due
    date, and a date of its own."""
    if not isinstance(entries, list):
        raise PolicyError("extensions must be a list of [[extensions]] tables")
    found = {}
    for number, entry in enumerate(entries, 1):
        where = f"extension {number}"
        _check_table(entry, where)
        _check_keys(entry, "extensions", where)
        missing = sorted({"student", "lab", "due"} - set(entry))
        if missing:
            raise PolicyError(f"{where} has no {', '.join(missing)}")
        lab = entry["lab"]
        _check_lab(lab, known_labs, where)
        if lab not in due:
            raise PolicyError(f"{where} extends lab {lab}, which has no due date in [labs]")
        found[(str(entry["student"]), lab)] = _date(entry["due"], f"{where} due")
    return found


def _check_table(value, where: str) -> None:
    """Refuse a value that should be a table and is not."""
    if not isinstance(value, dict):
        raise PolicyError(f"{where} must be a table")


def _check_keys(table: dict, kind: str, where: str | None = None) -> None:
    """Refuse a key the policy does not know (a typo would otherwise be ignored)."""
    unknown = sorted(set(table) - KEYS[kind])
    if unknown:
        allowed = ", ".join(sorted(KEYS[kind]))
        raise PolicyError(f"unknown key {unknown[0]!r} in {where or 'the file'} "
                          f"(allowed: {allowed})")


def _check_lab(lab, known_labs: list[str], where: str) -> None:
    """Refuse a lab the course does not have."""
    if lab not in known_labs:
        raise PolicyError(f"{where}: unknown lab {lab!r} (the labs: {', '.join(known_labs)})")


def _number(table: dict, key: str, default: float) -> float:
    """A non-negative number of the ``[late]`` table."""
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise PolicyError(f"[late] {key} must be a number, 0 or more, not {value!r}")
    return float(value)


def _date(value, where: str) -> datetime:
    """A date and time with its time zone, from TOML's own or an ISO 8601 string."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise PolicyError(f"{where}: malformed date {value!r} (use ISO 8601 with a time "
                              "zone, e.g. 2026-12-01T23:59:00+01:00)") from None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise PolicyError(f"{where}: {value!s} needs a date, a time and a time zone (e.g. "
                          "2026-12-01T23:59:00+01:00)")
    return value


# -- When a submission was made ---------------------------------------------------------------


def submission_time(notebook: Path) -> tuple[datetime, str]:
    """When ``notebook`` was submitted and where that came from: nbgrader's
    ``timestamp.txt`` beside it if it can be read, or else the file's modification time."""
    try:
        stamp = (notebook.parent / NBGRADER_TIMESTAMP).read_text(encoding="utf-8")
        return parse_timestamp(stamp), FROM_TIMESTAMP
    except (OSError, UnicodeDecodeError, ValueError):
        modified = os.stat(notebook).st_mtime
        return datetime.fromtimestamp(modified, tz=UTC), FROM_FILE_TIME


def parse_timestamp(text: str) -> datetime:
    """A timestamp as nbgrader writes it (``2026-12-01 22:59:00.123456 UTC``, the zone as
    its name or offset) or in ISO 8601 with a zone; ``ValueError`` without a zone."""
    text = text.strip()
    moment, _, zone = text.rpartition(" ")
    if zone.upper() in UTC_NAMES:
        text = f"{moment}+00:00"
    elif NUMERIC_OFFSET.match(zone):
        text = f"{moment}{zone}"
    elif moment and ZONE_NAME.match(zone):
        try:
            return datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))
        except ZoneInfoNotFoundError:
            raise ValueError(f"unknown time zone {zone!r}") from None
    parsed = datetime.fromisoformat(text)
    if parsed.utcoffset() is None:
        raise ValueError(f"no time zone in {text!r}")
    return parsed


def duration(seconds: float) -> str:
    """``seconds`` for a reader: ``2 days 3 h 5 min``; ``0`` when on time."""
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes else []
    return " ".join(parts) or "0"
