"""The class dashboard: a real class graded by ``batch``, then ``python -m grader report`` as
an instructor runs it; its statistics, its matcher and every bad input on hand-made
results; the chapter sections it links to; and the page as a person sees it in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.batch import grade_folder
from grader.labs import lab_ids
from grader.misconceptions import REVISIT, behaves_like, catalogue, revisit
from grader.report import (
    MALFORMED,
    NOT_GRADABLE,
    UNKNOWN_LAB,
    UNREADABLE,
    NoResults,
    lab_stats,
    load_results,
    misconception_rows,
    page,
    problem_of,
)
from grader.submissions import (
    REPO,
    WRONG_ANSWERS,
    answer_file_notebook,
    load_answer_file,
    load_notebook,
)
from resilience.checks.explain import NOT_IMPLEMENTED
from resilience.checks.requirements import requirements_of

sys.path.insert(0, str(REPO / "course" / "tests"))
from browser_helpers import CHROMIUM, CHROMIUM_FLAGS, SCREENSHOTS  # noqa: E402

LABS = set(lab_ids())
RETRIES, TIMEOUTS = "02-retries", "01-timeouts"
NO_JITTER = "Exponential growth alone spreads retries out well enough."
JITTER_SECTION = "course/02-retries.ipynb#2.-How-long-to-wait:-backoff-and-jitter"
CLASS = {  # learner: (lab, what they submit: "solution", "release" or a wrong answer's name)
    "ada": (RETRIES, "solution"), "bea": (RETRIES, "release"),
    "cy": (RETRIES, "no_jitter"), "dee": (RETRIES, "no_jitter"),
    "eve": (RETRIES, "no_cap"), "fay": (RETRIES, "budget_ignored"),
    "gus": (RETRIES, "off_by_one_attempts"),
    "hal": (TIMEOUTS, "client_swapped_timeouts"), "ivy": (TIMEOUTS, "solution"),
}
REPORT_LIMIT_S = 60  # a report of a small class takes about a second
ONE_WORKER = pytest.mark.xdist_group("graded-class")  # grade it once (pytest -n, loadgroup)


def _notebook(lab: str, kind: str) -> dict:
    """A learner's notebook: the solution, the blank release, or a catalogue wrong answer."""
    if kind in ("solution", "release"):
        return load_notebook(lab, kind)
    return answer_file_notebook(load_answer_file(WRONG_ANSWERS / lab / f"{kind}.py"))


def _believed(lab: str, name: str) -> str:
    """A catalogue wrong answer's BELIEVED, as the matcher reads it."""
    return " ".join(load_answer_file(WRONG_ANSWERS / lab / f"{name}.py").BELIEVED.split())


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The class above, in nbgrader's layout, graded by ``batch`` with two jobs."""
    root = tmp_path_factory.mktemp("class")
    for student, (lab, kind) in CLASS.items():
        path = root / "submitted" / student / lab / f"{lab}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(_notebook(lab, kind)))
    grade_folder(root, root / "out", jobs=2)
    return root / "out"


def _report(results: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """``python -m grader report`` as an instructor runs it, from the repository."""
    return subprocess.run([sys.executable, "-m", "grader", "report", str(results),
                           "--out", str(out), *extra], cwd=REPO, capture_output=True,
                          text=True, timeout=REPORT_LIMIT_S)


def _copy(results: Path, to: Path) -> Path:
    """A copy of a batch's results folder to add bad files to."""
    shutil.copytree(results, to)
    return to


def _row_of(html: str, belief: str) -> str:
    """The misconception table's row that names ``belief``."""
    rows = [row for row in re.findall(r"<tr class='misconception'>.*?</tr>", html, re.S)
            if belief in row]
    assert len(rows) == 1, f"{belief!r} is in {len(rows)} rows"
    return rows[0]


# A real class, through the command line.

@pytest.mark.slow  # grades a class
@ONE_WORKER
def test_the_dashboard_of_a_graded_class(graded_class, tmp_path):
    done = _report(graded_class, tmp_path / "report.html")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert re.fullmatch(r"class dashboard of 9 results in \S+report\.html, in \d+\.\d s\n",
                        done.stdout)
    html = (tmp_path / "report.html").read_text()
    assert "9 results of 9 learners in 2 labs" in html
    for heading in ("Scores by lab", "What to reteach", "Each test's pass rate",
                    "Skipped results"):
        assert f"<h2>{heading}" in html
    assert html.count("src='data:image/png;base64,") == 3  # the bands, a lab's pass rates x2
    assert not re.search(r"(src|href)=['\"](https?:|//)", html), "the page loads nothing"
    most_common = re.findall(r"<tr class='misconception'>.*?</tr>", html, re.S)[0]
    assert NO_JITTER in most_common and ">2</td>" in most_common
    assert re.search(r"<a href='[^']*/feedback/cy/02-retries\.html'>cy</a>, <a href='[^']*"
                     r"/feedback/dee/02-retries\.html'>dee</a>", most_common), most_common
    assert f"href='{JITTER_SECTION}'" in most_common and f"<code>{JITTER_SECTION}" in most_common
    assert "1 failing submission unfinished" in html and ">bea</a>)" in html
    assert "None: every result file was used." in html


@pytest.mark.slow  # grades a class
@ONE_WORKER
@pytest.mark.parametrize("student", ["cy", "dee", "eve", "fay", "gus", "hal"])
def test_each_wrong_answer_is_shown_as_its_misconception(graded_class, student):
    lab, name = CLASS[student]
    result = json.loads((graded_class / "results" / student / f"{lab}.json").read_text())
    match = behaves_like(result)
    assert match is not None and _believed(lab, name) in match.beliefs


@pytest.mark.slow  # grades a class
@ONE_WORKER
def test_the_links_can_point_at_a_jupyterlab(graded_class, tmp_path):
    base = "http://localhost:8888/lab/tree/"
    done = _report(graded_class, tmp_path / "report.html", "--course-url", base)
    assert done.returncode == 0, done.stderr
    assert f"href='{base}{JITTER_SECTION}'" in (tmp_path / "report.html").read_text()


@pytest.mark.slow  # grades a class
@ONE_WORKER
def test_bad_result_files_are_skipped_and_counted(graded_class, tmp_path):
    results = _copy(graded_class, tmp_path / "results")
    bad = {"empty": "", "truncated": '{"lab": "02-retries", "sco',
           "a-list": "[1, 2]", "no-tests": json.dumps({"lab": RETRIES, "score": 1,
                                                       "max_score": 20}),
           "error": json.dumps({"lab": None, "score": 0, "max_score": 0, "tests": [],
                                "notes": [], "error": "the notebook is not JSON"}),
           "elsewhere": json.dumps({**_hand_result(RETRIES, {"t": (True, "")}),
                                    "lab": "99-quantum"})}
    for name, text in bad.items():
        (results / "results" / name).mkdir()
        (results / "results" / name / "lab.json").write_text(text)
    (results / "results" / "bad-bytes").mkdir()
    (results / "results" / "bad-bytes" / "lab.json").write_bytes(b"\xff\xfe{")
    done = _report(results, tmp_path / "report.html")
    assert done.returncode == 0, done.stderr
    assert (f"7 skipped (3 {UNREADABLE}, 2 {MALFORMED}, 1 {NOT_GRADABLE}, 1 {UNKNOWN_LAB})"
            in done.stdout)
    html = (tmp_path / "report.html").read_text()
    assert "7 skipped" in html and "error/lab.json" in html and "elsewhere/lab.json" in html


@pytest.mark.slow  # grades a class
@ONE_WORKER
def test_a_report_that_cannot_be_written_says_so(graded_class, tmp_path):
    (tmp_path / "a-file").write_text("")
    done = _report(graded_class, tmp_path / "a-file" / "report.html")
    assert done.returncode == 2
    assert done.stderr.startswith("grader: cannot write ") and done.stderr.count("\n") == 1
    assert done.stdout == ""


@pytest.mark.slow  # opens Chromium
@ONE_WORKER
def test_an_instructor_sees_the_dashboard(graded_class, tmp_path):
    """The page as a person sees it: headings, figures that load, a misconception row with
    its chapter link; a screenshot for CI's artefacts."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium; .ci/run installs it)")
    report = tmp_path / "report.html"
    assert _report(graded_class, report).returncode == 0
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page_ = browser.new_page(viewport={"width": 1300, "height": 900})
            page_.goto(report.as_uri())
            assert page_.locator("h1").inner_text() == "Class dashboard"
            assert page_.locator("h2").all_inner_texts()[:3] == [
                "Scores by lab", "What to reteach: the misconceptions most common in the class",
                "Each test's pass rate"]
            widths = page_.eval_on_selector_all(
                "img", "images => images.map(i => i.complete ? i.naturalWidth : 0)")
            assert len(widths) == 3 and all(width > 0 for width in widths), widths
            row = page_.locator("tr.misconception", has_text=NO_JITTER)
            assert row.locator("td").first.inner_text() == "2"
            link = row.get_by_role("link", name="2. How long to wait: backoff and jitter")
            assert link.get_attribute("href") == JITTER_SECTION
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page_.screenshot(path=str(SCREENSHOTS / "class-dashboard.png"), full_page=True)
            row.get_by_role("link", name="dee").click()  # a learner's feedback page
            page_.wait_for_load_state()
            assert page_.locator("h1").inner_text() == "Feedback for dee: 02-retries"
        finally:
            browser.close()


# Refusals: one line, exit 2, nothing written.

@pytest.mark.parametrize("make, said", [
    (lambda root: root / "nowhere", "grader: no such folder: "),
    (lambda root: root, "grader: no results in "),
    (lambda root: (root / "results").mkdir() or root, "grader: no results in "),
    (lambda root: _files(root, {"ada/02-retries.json": "{"}), "grader: nothing to report in "),
    (lambda root: _files(root, {"ada/02-retries.json": json.dumps(
        {"lab": RETRIES, "score": 0, "max_score": 20, "tests": [], "notes": [],
         "error": "grading did not finish"}), "bea/x.json": "[]"}),
     f"none of its 2 result files can be used (1 {MALFORMED}, 1 {NOT_GRADABLE})"),
])
def test_nothing_to_report_is_refused_in_one_line(tmp_path, make, said):
    results = make(_folder(tmp_path))
    out = tmp_path / "report.html"
    done = _report(results, out)
    assert done.returncode == 2, done.stdout
    assert said in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not out.exists()


def _folder(tmp_path: Path) -> Path:
    """An empty results folder."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _files(root: Path, files: dict[str, str]) -> Path:
    """A results folder holding ``files`` ({student/name.json: text})."""
    for name, text in files.items():
        path = root / "results" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


# Loading, on hand-made results.

def _hand_result(lab: str, tests: dict[str, tuple[bool, str]], student: str | None = None,
                 points: float = 1.0) -> dict:
    """A result in the contract's shape: {test: (passed, feedback)}, a point a test."""
    result = {"lab": lab, "score": sum(points for passed, _ in tests.values() if passed),
              "max_score": points * len(tests), "notes": [],
              "tests": [{"name": name, "description": name, "score": points if passed else 0,
                         "max_score": points, "passed": passed, "feedback": feedback}
                        for name, (passed, feedback) in tests.items()]}
    return {**result, "student": student} if student else result


GOOD = _hand_result(RETRIES, {"test_budget": (True, "")})


@pytest.mark.parametrize("data, problem", [
    (GOOD, None),
    ([GOOD], MALFORMED),
    ("a result", MALFORMED),
    ({**GOOD, "score": "20"}, MALFORMED),
    ({**GOOD, "score": True}, MALFORMED),
    ({**GOOD, "max_score": None}, MALFORMED),
    ({**GOOD, "score": float("nan")}, MALFORMED),
    ({**GOOD, "max_score": 0}, MALFORMED),
    ({**GOOD, "tests": []}, MALFORMED),
    ({**GOOD, "tests": "all passed"}, MALFORMED),
    ({**GOOD, "tests": [{"name": "test_budget", "passed": "yes", "feedback": "",
                         "score": 1, "max_score": 1}]}, MALFORMED),
    ({**GOOD, "tests": [{"name": "test_budget", "passed": True}]}, MALFORMED),
    ({**GOOD, "error": "the notebook is empty"}, NOT_GRADABLE),
    ({"lab": None, "score": 0, "max_score": 0, "tests": [], "notes": [],
      "error": "not one of the course's labs"}, NOT_GRADABLE),
    ({**GOOD, "lab": "10-quantum"}, UNKNOWN_LAB),
    ({**GOOD, "lab": None}, UNKNOWN_LAB),
])
def test_what_cannot_be_reported(data, problem):
    assert problem_of(data, LABS) == problem


def test_loading_skips_and_counts_by_why(tmp_path):
    _files(tmp_path, {"ada/02-retries.json": json.dumps(GOOD),
                      "bea/02-retries.json": json.dumps({**GOOD, "student": "Bea"}),
                      "cy/02-retries.json": "not json", "dee/02-retries.json": "",
                      "eve/02-retries.json": json.dumps({**GOOD, "error": "timed out"}),
                      "fay/02-retries.json": json.dumps({**GOOD, "lab": "10-quantum"}),
                      "gus/02-retries.json": "{}", "hal/.02-retries.json.1.tmp": "{"})
    feedback_page = tmp_path / "feedback" / "ada" / "02-retries.html"
    feedback_page.parent.mkdir(parents=True)
    feedback_page.write_text("<!doctype html>")
    found = load_results(tmp_path, LABS)
    assert [r["student"] for r in found.results] == ["ada", "Bea"]  # the folder's, or its own
    assert [r["feedback_page"] for r in found.results] == [feedback_page, None]
    assert found.skipped == {UNREADABLE: ["cy/02-retries.json", "dee/02-retries.json"],
                             NOT_GRADABLE: ["eve/02-retries.json"],
                             UNKNOWN_LAB: ["fay/02-retries.json"],
                             MALFORMED: ["gus/02-retries.json"]}
    assert found.skipped_count == 5


def test_a_results_folder_of_its_own_is_read_too(tmp_path):
    _files(tmp_path, {"ada/02-retries.json": json.dumps(GOOD)})
    assert len(load_results(tmp_path / "results", LABS).results) == 1


def test_nothing_usable_raises_with_the_counts(tmp_path):
    _files(tmp_path, {"ada/02-retries.json": "[]", "bea/02-retries.json": "[]"})
    with pytest.raises(NoResults, match=f"none of its 2 result files can be used \\(2 "
                                        f"{MALFORMED}\\)"):
        load_results(tmp_path, LABS)


# Statistics.

def test_score_bands_and_pass_rates():
    results = [_hand_result(RETRIES, {"a": (True, ""), "b": (True, "")}),
               _hand_result(RETRIES, {"a": (True, ""), "b": (False, "no")}),
               _hand_result(RETRIES, {"a": (False, "no"), "b": (False, "no")}),
               _hand_result(TIMEOUTS, {"c": (True, "")}, points=5)]
    stats = lab_stats(results)
    assert list(stats) == [TIMEOUTS, RETRIES]  # the course's order
    assert stats[RETRIES].shares == [1.0, 0.5, 0.0]
    assert stats[RETRIES].band_counts() == [1, 0, 1, 1]  # full, 80%+, 50%+, under 50%
    assert stats[RETRIES].pass_rates == [("b", 1 / 3), ("a", 2 / 3)]  # the worst first
    assert stats[TIMEOUTS].band_counts() == [1, 0, 0, 0]


# Matching.

def _failing_as(misconception, lab: str = RETRIES, student: str = "ada") -> dict:
    """A result that fails exactly as a misconception's signature says, and passes one
    other test."""
    tests = {test: (False, f"Your answer is wrong: {fragment}. See the lab.")
             for test, fragment in misconception.failures}
    return _hand_result(lab, {**tests, "test_other": (True, "")}, student)


def _misconception(source: str):
    """The catalogue's misconception behind one file ("<lab>/<name>")."""
    lab = source.split("/")[0]
    return next(m for m in catalogue()[lab] if source in m.sources)


def test_every_catalogue_signature_is_matched_to_its_own_misconception():
    """Statically, for every lab: a result failing only as a catalogue file says behaves
    like that file's misconception (``test_wrong_answers`` checks the graded results)."""
    for lab, misconceptions in catalogue().items():
        for misconception in misconceptions:
            match = behaves_like(_failing_as(misconception, lab))
            assert match is not None and misconception in match.candidates, \
                misconception.sources


def test_the_match_that_explains_most_failures_wins():
    no_cap = _misconception("02-retries/no_cap")  # four tests
    no_jitter = _misconception("02-retries/no_jitter")  # two of them
    both = _failing_as(no_cap)
    both["tests"] = [{**t, "feedback": t["feedback"] + " " + dict(no_jitter.failures).get(
        t["name"], "")} for t in both["tests"]]
    match = behaves_like(both)
    assert match is not None and match.candidates == (no_cap,)


def test_misconceptions_that_fail_alike_are_all_candidates():
    ignores_session = _misconception("01-timeouts/client_ignores_the_session")
    cached = _misconception("01-timeouts/client_cached")
    result = _failing_as(ignores_session, TIMEOUTS)
    result["tests"][0]["feedback"] += " " + dict(cached.failures)["test_client_configuration"]
    match = behaves_like(result)
    assert match is not None and set(match.candidates) == {ignores_session, cached}
    assert behaves_like(result) == match  # the same every time


@pytest.mark.parametrize("result", [
    _hand_result(RETRIES, {"test_budget": (True, "")}),  # nothing failed
    _hand_result(RETRIES, {"test_budget": (False, "Something no wrong answer says.")}),
    _hand_result(RETRIES, {"test_full_jitter": (False, NOT_IMPLEMENTED),
                           "test_sleeps_with_jitter": (False, "there is no jitter")}),
    _hand_result("10-quantum", {"test_budget": (False, "no")}),
])
def test_no_match(result):
    assert behaves_like(result) is None


def test_rows_rank_the_most_common_first_and_count_the_rest():
    no_jitter, no_cap = _misconception("02-retries/no_jitter"), _misconception(
        "02-retries/no_cap")
    results = [_failing_as(no_cap, student="ada"), _failing_as(no_jitter, student="bea"),
               _failing_as(no_jitter, student="cy"),
               _hand_result(RETRIES, {"test_budget": (False, "Unheard of.")}, "dee"),
               _hand_result(RETRIES, {"test_budget": (False, NOT_IMPLEMENTED)}, "eve"),
               _hand_result(RETRIES, {"test_budget": (True, "")}, "fay")]
    rows, unexplained = misconception_rows(results)
    assert [(row.beliefs, [r["student"] for r in row.learners]) for row in rows] == [
        ((NO_JITTER,), ["bea", "cy"]), (no_cap.beliefs, ["ada"])]
    assert rows[0].violates == ["1.2"]
    assert [s.path for s in rows[0].sections] == [JITTER_SECTION]
    assert [r["student"] for r in unexplained[RETRIES].unmatched] == ["dee"]
    assert [r["student"] for r in unexplained[RETRIES].unfinished] == ["eve"]


def test_the_page_escapes_what_learners_wrote(tmp_path):
    no_jitter = _misconception("02-retries/no_jitter")
    _files(tmp_path, {"x/02-retries.json": json.dumps(
        _failing_as(no_jitter, student="<script>alert(1)</script>"))})
    html = page(load_results(tmp_path, LABS), "<b>results</b>")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;results&lt;/b&gt;" in html


# The chapter sections to revisit.

def _headings(notebook: Path) -> set[str]:
    """A chapter's markdown headings, without their '#'s."""
    cells = json.loads(notebook.read_text())["cells"]
    return {line.lstrip("#").strip() for cell in cells if cell["cell_type"] == "markdown"
            for line in "".join(cell["source"]).splitlines() if re.match(r"#{1,6} ", line)}


def test_every_section_to_revisit_is_a_heading_of_its_chapter():
    for lab, sections in REVISIT.items():
        for number, section in sections.items():
            notebook = REPO / "course" / section.notebook
            assert notebook.exists(), f"{lab} section {number}: no {notebook}"
            assert section.heading in _headings(notebook), (
                f"{lab} section {number}: {section.notebook} has no heading "
                f"{section.heading!r}; it has {sorted(_headings(notebook))}")


def test_every_requirement_has_a_section_to_revisit():
    assert set(REVISIT) == LABS
    for lab in LABS:
        numbers = {requirement.id.split(".")[0] for requirement in requirements_of(lab)}
        assert numbers == set(REVISIT[lab]), lab
        assert revisit(lab, [r.id for r in requirements_of(lab)])  # none dropped
