"""Feedback a learner reads: the grading result as a report, in plain text or in HTML.

Both show, per test, its points, whether it passed, and the teaching message of a failure;
never the code of a test. Everything from the submission is escaped: a learner's error
message is text, not markup.
"""

from __future__ import annotations

import html as markup
import re

from grader.policy import duration

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
h1 { font-size: 1.4rem; } .score { font-size: 1.2rem; }
table { border-collapse: collapse; width: 100%; } td, th { padding: .4rem .6rem;
  border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
.pass { color: #007a5a; font-weight: 600; } .fail { color: #b34700; font-weight: 600; }
.message { white-space: pre-wrap; } .notes li, .error { color: #b34700; }
.figure { display: block; max-width: 100%; margin-top: .5rem; }
.late { margin-top: -.5rem; }
"""


def text(result: dict) -> str:
    """The report the grading command prints."""
    if result.get("error"):
        return f"{result.get('lab') or 'submission'}: 0 / {result.get('max_score', 0):g}\n" \
               f"  not graded: {result['error']}\n"
    lines = [f"{result['lab']}: {result['score']:g} / {result['max_score']:g}"]
    for test in result["tests"]:
        mark = "PASS" if test["passed"] else "FAIL"
        lines.append(f"  [{mark}] {test['name']} ({test['score']:g}/{test['max_score']:g})"
                     f"  {test['description']}")
        lines += [f"         {line}" for line in test["feedback"].splitlines()]
    lines += [f"  note: {note}" for note in result.get("notes", [])]
    return "\n".join(lines) + "\n"


BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def _figure(test: dict) -> str:
    """A test's figure as an image in the page (only base64 data, so nothing else can pass
    for one)."""
    figure = test.get("figure")
    if not isinstance(figure, str) or not BASE64.match(figure):
        return ""
    return (f"<img class='figure' alt='what the failing run did, over time' "
            f"src='data:image/png;base64,{figure}'>")


def late_line(late: dict) -> str:
    """The line under the score of a lab with a due date: when it came, and its penalty."""
    when = f"Submitted {late['submitted_at']} (due {late['due']}"
    when += ", with an extension)" if late.get("extension") else ")"
    if not late["late_by_s"]:
        return f"{when}: on time."
    late_by = f"{when}: {duration(late['late_by_s'])} late"
    if late.get("past_cutoff"):
        return f"{late_by}, past the cut-off: 0 points count."
    return (f"{late_by}, a penalty of {late['penalty_percent']:g}% ({late['penalty']:g} "
            f"points): {late['final_score']:g} points count.")


def html(result: dict) -> str:
    """A self-contained HTML page of the result."""
    def e(text) -> str:
        return markup.escape(str(text).encode("utf-8", "backslashreplace").decode("utf-8"))

    title = f"{result.get('lab') or 'Submission'}: {result.get('score', 0):g} / " \
            f"{result.get('max_score', 0):g}"
    who = f" for {e(str(result['student']))}" if result.get("student") else ""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{e(title)}</title><style>{STYLE}</style></head><body>",
             f"<h1>Feedback{who}: {e(str(result.get('lab') or 'not graded'))}</h1>",
             f"<p class='score'>Score: <strong>{result.get('score', 0):g}</strong> of "
             f"{result.get('max_score', 0):g} points</p>"]
    if isinstance(result.get("late"), dict):
        parts.append(f"<p class='late'>{e(late_line(result['late']))}</p>")
    if result.get("error"):
        parts.append(f"<p class='error'>This submission could not be graded: "
                     f"{e(result['error'])}</p>")
    if result.get("notes"):
        parts.append("<ul class='notes'>" + "".join(f"<li>{e(n)}</li>" for n in result["notes"])
                     + "</ul>")
    if result.get("tests"):
        parts.append("<table><tr><th>test</th><th>points</th><th>result</th>"
                     "<th>what to look at</th></tr>")
        for test in result["tests"]:
            verdict = "<span class='pass'>passed</span>" if test["passed"] else \
                "<span class='fail'>failed</span>"
            parts.append(f"<tr><td>{e(test['description'] or test['name'])}</td>"
                         f"<td>{test['score']:g} / {test['max_score']:g}</td><td>{verdict}</td>"
                         f"<td class='message'>{e(test['feedback'])}{_figure(test)}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
