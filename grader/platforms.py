"""The grading result in the shapes Gradescope and PrairieLearn read, and the bundles that
grade a submission on their fleets.

``python -m grader grade NB --format json|gradescope|prairielearn`` prints one result (the
contract of ``grader.result``) in one of three shapes. ``python -m grader gradescope LAB
--out DIR`` writes an autograder bundle (``setup.sh``, ``run_autograder``, the grader and
the course package, the pinned requirements); ``python -m grader prairielearn LAB --out DIR``
writes a question folder, the shared grader for ``serverFilesCourse`` and the grading
image's ``Dockerfile``. On the platform, the bundle's script calls ``gradescope-run`` or
``prairielearn-run`` (``run_gradescope``, ``run_prairielearn``), which:

- finds the one submitted notebook (none, several, or an unreadable one: score 0 and a
  one-line reason);
- grades it in a separate process, as an unprivileged user when it runs as root and the
  bundle's user exists, with a time limit of its own: a grading that dies or hangs still
  leaves a result;
- writes the platform's ``results.json``, atomically, whatever happened.

Gradescope's format: https://gradescope-autograders.readthedocs.io/en/latest/specs/ ;
PrairieLearn's: https://prairielearn.readthedocs.io/en/latest/externalGrading/ .
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from grader.grade import SUBMISSION_TIME_LIMIT_S, CannotGrade, grade_file
from grader.labs import lab_ids, load_lab
from grader.result import GradeResult, printable

GRADESCOPE_VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")
HIDDEN_TESTS_MARKER = "### BEGIN HIDDEN TESTS"  # nbgrader's: what the release strips
VISIBLE_DEFAULT, HIDDEN_DEFAULT = "visible", "after_due_date"

REPO = Path(__file__).resolve().parent.parent
PACKAGE_DIRS = {"grader": REPO / "grader", "resilience": REPO / "course" / "resilience"}
NOT_SHIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", "tests", "submitted", "autograded",
                                     "feedback", "gradebook.db", ".ipynb_checkpoints")
CONFIG_NAME = "grader.toml"  # in a bundle: the lab it grades, and (Gradescope) visibility
GRADING_USER = "coursegrader"  # setup.sh and the Dockerfile create it; grading runs as it
GRADESCOPE_VENV = "/opt/course-grader"  # where setup.sh installs the pinned requirements
PRAIRIELEARN_SERVER_FILES = "resilience_grader"  # the folder under serverFilesCourse
# A grading's own limit, plus the time to start Python and import moto on a slow share of
# a CPU (Gradescope gives half a virtual CPU by default): past this, it is stuck.
GRADING_MARGIN_S = 60.0
GRADING_LIMIT_S = SUBMISSION_TIME_LIMIT_S + GRADING_MARGIN_S
PRAIRIELEARN_TIMEOUT_S = int(GRADING_LIMIT_S) + 30  # PrairieLearn's own ...
PRAIRIELEARN_MAX_TIMEOUT_S = 600  # ... at most 600 s
MAX_MESSAGE_CHARS = 20_000  # PrairieLearn takes results.json up to 1 MB


# -- One result, three shapes ------------------------------------------------------------------

def default_visibility(lab_id: str) -> dict[str, str]:
    """Each test's Gradescope visibility, from the lab's source: a test the learner has in
    full is ``visible``; one holding hidden tests is ``after_due_date``, since its score
    tells what the hidden checks found."""
    return {test.grade_id: HIDDEN_DEFAULT if HIDDEN_TESTS_MARKER in test.source
            else VISIBLE_DEFAULT for test in load_lab(lab_id).tests}


def lab_visibility(lab_id: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The lab's default visibility with ``overrides`` ({grade_id: visibility}) applied;
    ``ValueError`` for a test the lab does not have or a visibility Gradescope does not."""
    visibility = default_visibility(lab_id)
    for grade_id, value in (overrides or {}).items():
        if grade_id not in visibility:
            raise ValueError(f"lab {lab_id} has no test {grade_id!r} "
                             f"(its tests: {', '.join(visibility)})")
        if value not in GRADESCOPE_VISIBILITIES:
            raise ValueError(f"{grade_id}: visibility {value!r} is not one of "
                             f"{', '.join(GRADESCOPE_VISIBILITIES)}")
        visibility[grade_id] = value
    return visibility


def summary(result: dict) -> str:
    """The result in a few lines for the whole submission: its score, or why it was not
    graded; then the notes that belong to no one test."""
    if result.get("error"):
        return f"Not graded: {result['error']}"
    score = f"{result['lab']}: {result['score']:g} / {result['max_score']:g} points"
    return "\n".join([score, *_note_lines(result)])


def _note_lines(result: dict) -> list[str]:
    return [f"Note: {note}" for note in result.get("notes", [])]


def _clipped(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + " [...]"


def gradescope_results(result: dict, visibility: Mapping[str, str] | None = None,
                       extra_data: dict | None = None) -> dict:
    """The contract's ``result`` as Gradescope's ``results.json``: every string rendered as
    text (never as HTML: a learner's message is not markup), each test with its visibility
    (``visibility``: {grade_id: value}; the lab's defaults if None), and the run's standard
    output (the confinement report) for instructors only. The text for the whole
    submission states the score only when every test is visible."""
    if visibility is None and result.get("lab") and not result.get("error"):
        visibility = default_visibility(result["lab"])
    tests = [{"name": test["description"] or test["name"], "number": str(number),
              "score": test["score"], "max_score": test["max_score"],
              "status": "passed" if test["passed"] else "failed",
              "output": _clipped(test["feedback"] or "Passed."), "output_format": "text",
              "name_format": "text",
              "visibility": (visibility or {}).get(test["name"], HIDDEN_DEFAULT),
              "extra_data": {"grade_id": test["name"]}}
             for number, test in enumerate(result.get("tests", []), start=1)]
    # With any test hidden, Gradescope hides the total: so does the text for the whole.
    shown = [test["visibility"] == VISIBLE_DEFAULT for test in tests]
    output = summary(result) if all(shown) else "\n".join(_note_lines(result))
    return printable({
        "score": result["score"], "output": _clipped(output), "output_format": "text",
        "test_output_format": "text", "test_name_format": "text",
        "stdout_visibility": "hidden", "tests": tests,
        "extra_data": {"lab": result.get("lab"), "max_score": result.get("max_score", 0.0),
                       **(extra_data or {})}})


def prairielearn_results(result: dict) -> dict:
    """The contract's ``result`` as PrairieLearn's ``results.json``: ``score`` as a share
    of the maximum (0..1). A submission that could not be graded is ``gradable: false``:
    PrairieLearn then awards nothing and does not count the attempt."""
    if result.get("error"):
        return printable({"gradable": False, "score": 0.0, "message": summary(result),
                          "format_errors": [result["error"]], "tests": []})
    max_score = result["max_score"]
    share = min(max(result["score"] / max_score, 0.0), 1.0) if max_score else 0.0
    tests = [{"name": test["name"], "description": test["description"],
              "points": test["score"], "max_points": test["max_score"],
              "message": _clipped(test["feedback"] or "Passed."), "output": ""}
             for test in result["tests"]]
    return printable({"gradable": True, "score": share, "message": _clipped(summary(result)),
                      "output": "", "tests": tests})


SHAPES: dict[str, Callable[[dict], dict]] = {
    "json": lambda result: result, "gradescope": gradescope_results,
    "prairielearn": prairielearn_results}
FORMATS = tuple(SHAPES)


def shaped(result: dict, format_name: str) -> dict:
    """``result`` (the contract's JSON) in the shape ``format_name`` names (``FORMATS``)."""
    return SHAPES[format_name](result)


# -- Writing the bundles -----------------------------------------------------------------------

def _check_lab(lab_id: str) -> None:
    if lab_id not in lab_ids():
        raise ValueError(f"no such lab: {lab_id} (the labs: {', '.join(lab_ids())})")


def requirements() -> str:
    """The course's pinned dependencies (pyproject's), one a line, for ``pip install -r``:
    the grader and the course package run on exactly what they are tested with."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return "".join(f"{requirement}\n" for requirement in project["dependencies"])


def copy_code(destination: Path) -> None:
    """The grader (its labs' sources, hidden tests included) and the course package, side
    by side in ``destination``: on ``PYTHONPATH``, and as the learner's process's import
    root, both import from there. No tests, no gradebook, no submissions."""
    for name, folder in PACKAGE_DIRS.items():
        shutil.copytree(folder, destination / name, ignore=NOT_SHIPPED, dirs_exist_ok=True)


def _fallback(format_name: str) -> str:
    """The results.json a bundle's script writes when Python itself cannot start, quoted for
    the shell."""
    reason = "the grader could not start; tell your instructor"
    return shlex.quote(json.dumps(shaped(GradeResult.not_graded(None, reason).to_json(),
                                         format_name)))


def _toml_table(values: Mapping[str, str]) -> str:
    return "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())


def _write(path: Path, text: str, executable: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if executable:
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


GRADESCOPE_SETUP = f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
SOURCE=/autograder/source
# The course needs Python 3.11 or later: Ubuntu 24.04 has 3.12, Ubuntu 22.04 has 3.11 to add.
PYTHON=$(command -v python3.13 python3.12 python3.11 | head -n 1 || true)
apt-get update
if [ -z "$PYTHON" ]; then
    apt-get install -y python3.11 python3.11-venv
    PYTHON=$(command -v python3.11)
fi
apt-get install -y "$(basename "$PYTHON")-venv" || true
"$PYTHON" -m venv {GRADESCOPE_VENV}
{GRADESCOPE_VENV}/bin/pip install --no-cache-dir -r "$SOURCE/requirements.txt"
# Grading runs as this user: a submission cannot rewrite the grader, even without Landlock.
id -u {GRADING_USER} >/dev/null 2>&1 || useradd --system --no-create-home {GRADING_USER}
chmod a+rx /autograder && chmod -R a+rX,go-w "$SOURCE"
"""

GRADESCOPE_RUN = """#!/usr/bin/env bash
# Gradescope runs this for each submission: it grades /autograder/submission/ and writes
# /autograder/results/results.json. AUTOGRADER_ROOT moves /autograder (for tests), and
# GRADER_PYTHON the Python that setup.sh installed.
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{GRADER_PYTHON:-{venv}/bin/python}}"
CODE="$ROOT/source/code"
cd "$CODE" && PYTHONPATH="$CODE" "$PYTHON" -m grader gradescope-run "$ROOT"
if [ ! -s "$ROOT/results/results.json" ]; then  # Python itself could not start: still a result
    mkdir -p "$ROOT/results"
    printf '%s\\n' {fallback} > "$ROOT/results/results.json"
fi
"""


def write_gradescope_bundle(lab_id: str, out: Path,
                            visibility: Mapping[str, str] | None = None) -> Path:
    """Write Gradescope's autograder bundle for ``lab_id`` into ``out``, and the zip to
    upload, ``out/autograder.zip`` (``setup.sh`` and ``run_autograder`` at its root).
    ``visibility`` overrides the lab's default visibility of some tests."""
    _check_lab(lab_id)
    table = lab_visibility(lab_id, visibility)
    out = Path(out)
    copy_code(out / "code")
    _write(out / "requirements.txt", requirements())
    _write(out / "setup.sh", GRADESCOPE_SETUP, executable=True)
    _write(out / "run_autograder",
           GRADESCOPE_RUN.format(venv=GRADESCOPE_VENV, fallback=_fallback("gradescope")),
           executable=True)
    _write(out / CONFIG_NAME,
           "# The lab this autograder grades, and when Gradescope shows each test to learners:\n"
           f"# {', '.join(GRADESCOPE_VISIBILITIES)}. Edit a line, zip again, upload.\n"
           f"lab = {json.dumps(lab_id)}\n\n[visibility]\n" + _toml_table(table))
    archive = out / "autograder.zip"
    archive.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        made = shutil.make_archive(str(Path(staging) / "autograder"), "zip", root_dir=out)
        shutil.move(made, archive)
    return archive


PRAIRIELEARN_RUN = """#!/usr/bin/env bash
# PrairieLearn's entrypoint: grades the notebook in /grade/student/ (or in data.json's
# submitted files) and writes /grade/results/results.json. GRADE_ROOT moves /grade (for
# tests), and GRADER_PYTHON the Python the grading image installed the course in.
ROOT="${{GRADE_ROOT:-/grade}}"
PYTHON="${{GRADER_PYTHON:-python3}}"
CODE="$(cd "$(dirname "$0")" && pwd)/code"
cd "$CODE" && PYTHONPATH="$CODE" "$PYTHON" -m grader prairielearn-run "$ROOT"
if [ ! -s "$ROOT/results/results.json" ]; then  # Python itself could not start: still a result
    mkdir -p "$ROOT/results"
    printf '%s\\n' {fallback} > "$ROOT/results/results.json"
fi
"""

PRAIRIELEARN_DOCKERFILE = f"""# The image grading the PrairieLearn questions: Python and the
# pinned requirements. Build it, push it to Docker Hub, and name it in each question's info.json:
#   docker build -t YOU/resilience-grader:1 . && docker push YOU/resilience-grader:1
FROM python:3.12-slim
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt \\
 && useradd --system --no-create-home {GRADING_USER}
"""


def _question_html(lab_id: str) -> str:
    return (f"<pl-question-panel>\n  <p>Upload your completed lab notebook, "
            f"<code>{lab_id}.ipynb</code>. The course's grader runs its tests and shows "
            "what passed, what failed and why.</p>\n</pl-question-panel>\n\n"
            f'<pl-file-upload file-names="{lab_id}.ipynb"></pl-file-upload>\n\n'
            "<pl-submission-panel>\n  <pl-external-grader-results></pl-external-grader-results>"
            "\n  <pl-file-preview></pl-file-preview>\n</pl-submission-panel>\n")


def write_prairielearn_question(lab_id: str, out: Path, image: str) -> Path:
    """Write, into ``out``, what a PrairieLearn course needs to grade ``lab_id``:
    ``questions/<lab>/`` (info.json, question.html, tests/grader.toml),
    ``serverFilesCourse/resilience_grader/`` (the entrypoint, the grader and the course
    package, shared by every lab's question) and ``grading-image/`` (the Dockerfile of the
    image ``image`` names). Returns the question's folder."""
    _check_lab(lab_id)
    out = Path(out)
    question = out / "questions" / f"resilience-{lab_id}"
    server_files = out / "serverFilesCourse" / PRAIRIELEARN_SERVER_FILES
    info = {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"resilient-cloud-course/{lab_id}")),
            "title": f"Lab {lab_id}", "topic": "Resilient cloud systems", "tags": ["lab"],
            "type": "v3", "singleVariant": True, "gradingMethod": "External",
            "externalGradingOptions": {
                "enabled": True, "image": image,
                "serverFilesCourse": [f"{PRAIRIELEARN_SERVER_FILES}/"],
                "entrypoint": f"/grade/serverFilesCourse/{PRAIRIELEARN_SERVER_FILES}/run.sh",
                "timeout": min(PRAIRIELEARN_MAX_TIMEOUT_S, int(
                    PRAIRIELEARN_TIMEOUT_S * load_lab(lab_id).time_scale))}}
    _write(question / "info.json", json.dumps(info, indent=2) + "\n")
    _write(question / "question.html", _question_html(lab_id))
    _write(question / "tests" / CONFIG_NAME, f"lab = {json.dumps(lab_id)}\n")
    copy_code(server_files / "code")
    _write(server_files / "run.sh", PRAIRIELEARN_RUN.format(fallback=_fallback("prairielearn")),
           executable=True)
    _write(out / "grading-image" / "requirements.txt", requirements())
    _write(out / "grading-image" / "Dockerfile", PRAIRIELEARN_DOCKERFILE)
    return question


# -- Grading on the platform -------------------------------------------------------------------

def find_notebook(folder: Path) -> Path:
    """The one notebook submitted in ``folder`` (in any subfolder, Jupyter's checkpoints and
    hidden files aside); ``CannotGrade`` with a one-line reason otherwise."""
    if not folder.is_dir():
        raise CannotGrade("no submission was found (no submission folder)")
    try:
        found = sorted(path for path in folder.rglob("*.ipynb")
                       if not any(part.startswith(".") for part in
                                  path.relative_to(folder).parts))
    except OSError as exc:
        raise CannotGrade(f"the submission could not be read ({exc.strerror})") from None
    if not found:
        raise CannotGrade("the submission holds no notebook (.ipynb): submit your lab's "
                          "notebook")
    if len(found) > 1:
        names = ", ".join(str(path.relative_to(folder)) for path in found)
        raise CannotGrade(f"the submission holds {len(found)} notebooks ({names}): submit "
                          "only your lab's notebook")
    notebook = found[0]
    if notebook.is_symlink() or not notebook.resolve().is_relative_to(folder.resolve()):
        # A link could point at the hidden tests' source notebook, solutions and all.
        raise CannotGrade(f"{notebook.name} is a link, not a notebook file: submit the file")
    return notebook


def _grading_user() -> tuple[int, int] | None:
    """The uid and gid to grade as: the bundle's user when this runs as root (Gradescope
    and PrairieLearn start it as root), else None (grade as whoever runs this)."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(os.environ.get("GRADER_USER", GRADING_USER))
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _grade_in_child(notebook: Path, lab_id: str, limit_s: float) -> dict:
    """Grade a copy of ``notebook`` in a separate grading process (``python -m
    grader.platforms``), as the grading user where there is one, and return what it
    printed: {"result": the contract's JSON, "confinement": {...}}. Whatever happens to it
    (killed, stuck, no output), a not-graded result with the reason."""
    user = _grading_user()
    with tempfile.TemporaryDirectory(prefix="submission-") as work:
        copy = Path(work) / notebook.name
        try:
            shutil.copyfile(notebook, copy)
        except OSError as exc:
            return {"result": GradeResult.not_graded(
                lab_id, f"{notebook.name} could not be read ({exc.strerror})",
                load_lab(lab_id).max_score).to_json()}
        if user is not None:
            for path in (Path(work), copy):
                os.chown(path, *user)
        code_root = str(Path(__file__).resolve().parent.parent)
        reason = "grading ended without a result (its process was ended)"
        try:
            done = subprocess.run(
                [sys.executable, "-m", "grader.platforms", str(copy), lab_id],
                cwd=work, capture_output=True, text=True, timeout=limit_s,
                env={**os.environ, "PYTHONPATH": code_root, "HOME": work},
                user=user[0] if user else None, group=user[1] if user else None,
                extra_groups=[] if user else None)
            answer = json.loads(done.stdout)
            if isinstance(answer, dict):
                return answer
        except subprocess.TimeoutExpired:
            reason = f"grading did not finish within {limit_s:g} s"
        except OSError as exc:  # the grading user cannot run this Python, say
            reason = f"the grading process could not start ({exc.strerror})"
        except ValueError:
            pass  # no JSON: the process was ended before it printed its result
    return {"result": GradeResult.not_graded(lab_id, reason,
                                             load_lab(lab_id).max_score).to_json()}


def _graded(folder: Path, lab_id: str) -> tuple[dict, dict]:
    """The contract's result for the notebook in ``folder``, and the confinement the
    grading process had (empty when nothing was graded)."""
    try:
        notebook = find_notebook(folder)
    except CannotGrade as exc:
        return GradeResult.not_graded(lab_id, str(exc), load_lab(lab_id).max_score).to_json(), {}
    answer = _grade_in_child(notebook, lab_id, GRADING_LIMIT_S * load_lab(lab_id).time_scale)
    result, confined = answer.get("result"), answer.get("confinement")
    if not isinstance(result, dict) or not isinstance(result.get("tests"), list):
        result = GradeResult.not_graded(lab_id, "grading ended without a result",
                                        load_lab(lab_id).max_score).to_json()
    return result, confined if isinstance(confined, dict) else {}


def write_results(path: Path, results: dict) -> None:
    """Write ``results`` as JSON at ``path``, atomically: never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(results, indent=1) + "\n", encoding="ascii")
    os.replace(temporary, path)


def _config(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _report(lab_id: str, result: dict, confined: Mapping[str, bool], seconds: float) -> None:
    """The run's lines on standard output (instructors see it; learners do not): the score
    and which kernel-backed layers of confinement the learner's process had here."""
    layers = ", ".join(f"{layer} {'on' if on else 'OFF'}" for layer, on in confined.items())
    print(f"{summary(result).splitlines()[0]} (graded in {seconds:.1f} s)")
    print(f"confinement on this machine: {layers or 'not measured (nothing was graded)'}")


def run_gradescope(root: Path) -> dict:
    """Grade Gradescope's submission under ``root`` (``/autograder``): the lab and the
    tests' visibility from ``source/grader.toml``, the notebook from ``submission/``;
    writes and returns ``results/results.json``."""
    started = time.monotonic()
    config = _config(root / "source" / CONFIG_NAME)
    lab_id = config["lab"]
    result, confined = _graded(root / "submission", lab_id)
    results = gradescope_results(result, lab_visibility(lab_id, config.get("visibility")),
                                 extra_data={"confinement": confined})
    results["execution_time"] = round(time.monotonic() - started)
    write_results(root / "results" / "results.json", results)
    _report(lab_id, result, confined, time.monotonic() - started)
    return results


def _files_from_data(root: Path, student: Path) -> None:
    """Write into ``student`` the files ``data/data.json`` carries (``submitted_answers.
    _files``, base64), when PrairieLearn has not put any there: the same submission."""
    import base64
    import binascii

    try:
        data = json.loads((root / "data" / "data.json").read_text(encoding="utf-8"))
        files = data["submitted_answers"]["_files"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    student.mkdir(parents=True, exist_ok=True)
    for entry in files if isinstance(files, list) else []:
        name = Path(str(entry.get("name", ""))).name if isinstance(entry, dict) else ""
        if name and not name.startswith("."):
            try:
                (student / name).write_bytes(base64.b64decode(str(entry.get("contents", ""))))
            except (binascii.Error, ValueError):
                continue


def run_prairielearn(root: Path) -> dict:
    """Grade PrairieLearn's submission under ``root`` (``/grade``): the lab from
    ``tests/grader.toml``, the notebook from ``student/`` (or from ``data/data.json``);
    writes and returns ``results/results.json``."""
    started = time.monotonic()
    lab_id = _config(root / "tests" / CONFIG_NAME)["lab"]
    student = root / "student"
    if not (student.is_dir() and any(student.iterdir())):
        _files_from_data(root, student)
    result, confined = _graded(student, lab_id)
    results = prairielearn_results(result)
    results["confinement"] = confined
    write_results(root / "results" / "results.json", results)
    _report(lab_id, result, confined, time.monotonic() - started)
    return results


def _grade_one(path: str, lab_id: str) -> None:
    """The grading process's work: grade ``path`` as ``lab_id`` and print one JSON object,
    the contract's result and this machine's confinement."""
    from grader.confine import confinement
    from grader.grade import collect_garbage_less_often

    collect_garbage_less_often()
    try:
        result = grade_file(path, expected_lab=lab_id).to_json()
    except CannotGrade as exc:
        result = GradeResult.not_graded(lab_id, str(exc), load_lab(lab_id).max_score).to_json()
    sys.stdout.write(json.dumps({"result": result, "confinement": confinement()}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    _grade_one(sys.argv[1], sys.argv[2])
    os._exit(0)  # skip moto's teardown: the result is written

