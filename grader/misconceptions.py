"""What a failing submission behaves like: the wrong-answer catalogue's misconceptions as
signatures, and the chapter section to revisit for each part of a lab.

Each wrong answer in ``grader/tests/wrong_answers/<lab>/`` says what the learner believed
(``BELIEVED``), the requirements it breaks (``VIOLATES``) and, per test that must catch it,
a fragment of that test's feedback (``EXPECTED_FAILURES``). Those (test, fragment) pairs are
its *signature*: a result behaves like the wrong answer when each of those tests failed with
feedback containing its fragment. Files with the same signature cannot be told apart by
behaviour, so they are one ``Misconception`` holding each file's belief ("behaves like one
of ..."); files that share one ``BELIEVED`` but fail differently are shown together by the
report.

Matching is by behaviour, not by reading code: a submission can behave like a misconception
for another reason, and one that fails in a way the catalogue does not know matches none
("unmatched"). Fragments are short, and a test's feedback often says several things, so
one result can match several misconceptions. The match is the one that explains the most
failing tests (then the longest fragments, then the file's name, so it is the same every
run); every misconception matched on exactly those tests is as likely, so they are all its
candidates ("behaves like one of ..."), never a guess between them. A submission gets one
match, not one per mistake: a broken part makes the parts that call it fail too, and those
failures would pass for mistakes of their own. An unfinished submission (an answer still
raises ``NotImplementedError``) gets none, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from grader.submissions import WRONG_ANSWER_FILES, load_answer_file
from resilience.checks.explain import NOT_IMPLEMENTED

COURSE_DIR = "course"  # where the chapters live, relative to the repository's root


@dataclass(frozen=True)
class ChapterSection:
    """A heading of a chapter notebook, to send a learner back to."""

    notebook: str  # the chapter's file name, in ``course/``
    heading: str  # the heading's text, without its leading '#'s

    @property
    def anchor(self) -> str:
        """JupyterLab's anchor for the heading: its text with spaces as '-'."""
        return self.heading.replace(" ", "-")

    @property
    def path(self) -> str:
        """The chapter's path from the repository's root, with the heading's anchor."""
        return f"{COURSE_DIR}/{self.notebook}#{self.anchor}"


def _sections(notebook: str, headings: dict[str, str]) -> dict[str, ChapterSection]:
    """One chapter's sections, by lab section number."""
    return {number: ChapterSection(notebook, heading) for number, heading in headings.items()}


_TIMEOUTS, _RETRIES = "01-timeouts.ipynb", "02-retries.ipynb"
_PARTIAL, _PILLS = "03-partial-failures.ipynb", "04-poison-pills.ipynb"
_SHEDDING, _BACKLOGS = "05-load-shedding.ipynb", "06-queue-backlogs.ipynb"
_SHARDING, _IDEMPOTENCY = "07-shuffle-sharding.ipynb", "08-idempotency.ipynb"
_CAPSTONE = "09-capstone.ipynb"
_SQS_PARTIAL_BATCHES = ChapterSection(_PILLS, "4. SQS: partial batch responses and "
                                              "dead-letter queues")
_FIXES = ChapterSection(_PILLS, "3. The fixes, and what each one costs")
_KINESIS_SETTINGS = ChapterSection(_PILLS, "Which settings for a Kinesis consumer")
_REJECT = ChapterSection(_SHEDDING, "3. Reject excess work, cheaply")
_FRESH_FIRST = ChapterSection(_BACKLOGS, "3. Serving fresh work first")
_SHUFFLE_SHARDS = ChapterSection(_SHARDING, "4. Shuffle shards")

# Each lab section (the number before the dot of a requirement's id, "3" for "3.2") and the
# chapter section that teaches what it asks. ``test_report`` proves every heading exists.
REVISIT: dict[str, dict[str, ChapterSection]] = {
    "01-timeouts": _sections(_TIMEOUTS, {
        "1": "3. Choose the timeout from the latencies",
        "2": "2. Connect timeouts and read timeouts",
        "3": "5. A deadline for the whole call"}),
    "02-retries": _sections(_RETRIES, {
        "1": "2. How long to wait: backoff and jitter",
        "2": "1. Which errors to retry",
        "3": "3. Retries multiply",
        "4": "5. Budgets, not breakers",
        "5": "6. What botocore does for you (botocore 1.44.5, pinned)"}),
    "03-partial-failures": _sections(_PARTIAL, {
        "1": "1. The limits",
        "2": "2. HTTP 200, and records lost",
        "3": "5. Ignore, retry at once, or back off?",
        "4": "3. The same shape elsewhere"}),
    "04-poison-pills": {"1": _SQS_PARTIAL_BATCHES, "2": _SQS_PARTIAL_BATCHES, "3": _FIXES,
                        "4": _KINESIS_SETTINGS, "5": _FIXES},
    "05-load-shedding": {"0": _REJECT,
                         **_sections(_SHEDDING, {"1": "1. Goodput, throughput and Little's law",
                                                 "4": "4. Failures that outlive their cause",
                                                 "5": "6. Dependency isolation"}),
                         "2": _REJECT, "3": _REJECT},
    "06-queue-backlogs": {"1": _FRESH_FIRST, "2": _FRESH_FIRST, "3": _FRESH_FIRST,
                          "4": ChapterSection(_BACKLOGS, "1. Quick to fill, slow to drain")},
    "07-shuffle-sharding": {**_sections(_SHARDING, {"1": "A stable assignment",
                                                    "2": "5. The combinatorics"}),
                            "3": _SHUFFLE_SHARDS, "4": _SHUFFLE_SHARDS, "5": _SHUFFLE_SHARDS},
    "08-idempotency": {**_sections(_IDEMPOTENCY, {"1": "3. Idempotency keys",
                                                  "2": "5. An idempotency store",
                                                  "3": "6. The crash window"}),
                       "4": _SQS_PARTIAL_BATCHES},
    "09-capstone": {"2": ChapterSection(_PARTIAL, "5. Ignore, retry at once, or back off?"),
                    "3": ChapterSection(_PILLS, "Set permanent failures aside"),
                    "4": _KINESIS_SETTINGS,
                    **_sections(_CAPSTONE, {"1": "4. Time budgets: timeouts that nest",
                                            "5": "7. What an alarm should watch",
                                            "6": "3. Five invariants, and why each matters"})},
}


def revisit(lab: str, requirement_ids) -> list[ChapterSection]:
    """The chapter sections behind these requirements of ``lab`` ("3.2" is section 3's),
    each once, in the order the requirements name them."""
    sections = REVISIT.get(lab, {})
    found = [sections[rid.split(".")[0]] for rid in requirement_ids
             if rid.split(".")[0] in sections]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Misconception:
    """A way to fail that the catalogue knows: the tests that fail and what they say, and
    what a learner who fails that way believed. Catalogue files whose signatures are the
    same behave alike, so they are one misconception here, with each file's belief."""

    lab: str
    failures: tuple[tuple[str, str], ...]  # (test grade_id, feedback fragment), sorted
    beliefs: tuple[str, ...]  # each file's BELIEVED, in a line, each once
    violates: tuple[str, ...]  # requirement ids, e.g. ("3.2",), each once
    sources: tuple[str, ...]  # "<lab>/<file name>": the catalogue files behind it

    def matches(self, failed: dict[str, str]) -> bool:
        """Whether a result whose failing tests gave ``failed`` ({test: feedback}) behaves
        like this: each of its tests failed, saying its fragment."""
        return all(test in failed and fragment in failed[test]
                   for test, fragment in self.failures)

    @property
    def specificity(self) -> tuple[int, int]:
        """How much a match says: its (test, fragment) pairs, then their letters."""
        return len(self.failures), sum(len(fragment) for _, fragment in self.failures)

    @property
    def tests(self) -> frozenset[str]:
        """The tests whose failures this misconception explains."""
        return frozenset(test for test, _ in self.failures)


def _read_catalogue() -> dict[tuple[str, tuple], list]:
    """Every catalogue file's (belief, requirements, name), by (lab, signature)."""
    by_signature: dict[tuple[str, tuple], list] = {}
    for path in WRONG_ANSWER_FILES:
        wrong = load_answer_file(path)
        key = (path.parent.name, tuple(sorted(wrong.EXPECTED_FAILURES.items())))
        by_signature.setdefault(key, []).append(
            (" ".join(wrong.BELIEVED.split()), tuple(wrong.VIOLATES),
             f"{path.parent.name}/{path.stem}"))
    return by_signature


@cache
def catalogue() -> dict[str, tuple[Misconception, ...]]:
    """Every lab's misconceptions, most specific first (read once per process)."""
    by_lab: dict[str, list[Misconception]] = {}
    for (lab, failures), files in _read_catalogue().items():
        by_lab.setdefault(lab, []).append(Misconception(
            lab, failures, beliefs=tuple(dict.fromkeys(belief for belief, _, _ in files)),
            violates=tuple(dict.fromkeys(rid for _, ids, _ in files for rid in ids)),
            sources=tuple(source for _, _, source in files)))
    return {lab: tuple(sorted(found, key=lambda m: (-m.specificity[0], -m.specificity[1],
                                                    m.sources[0])))
            for lab, found in by_lab.items()}


def failed_tests(result: dict) -> dict[str, str]:
    """A result's failing tests: {grade_id: feedback}."""
    return {test["name"]: test["feedback"] for test in result.get("tests", [])
            if not test["passed"]}


@dataclass(frozen=True)
class Match:
    """What a failing result behaves like, as far as its failures can tell: one or more
    misconceptions that the same failing tests, saying the same things, point to."""

    candidates: tuple[Misconception, ...]  # the longest fragments first

    @property
    def tests(self) -> frozenset[str]:
        """The failing tests this match explains."""
        return self.candidates[0].tests

    @property
    def beliefs(self) -> tuple[str, ...]:
        """What the learner may have believed, each once."""
        return tuple(dict.fromkeys(b for m in self.candidates for b in m.beliefs))

    @property
    def violates(self) -> tuple[str, ...]:
        """The requirements the candidates break, each once."""
        return tuple(dict.fromkeys(r for m in self.candidates for r in m.violates))


def unfinished(result: dict) -> bool:
    """Whether some answer of ``result`` still raises ``NotImplementedError``."""
    return any(feedback.startswith(NOT_IMPLEMENTED) for feedback in failed_tests(result).values())


def behaves_like(result: dict) -> Match | None:
    """What a graded result behaves like: the misconceptions that explain the most of its
    failing tests. None when it is unfinished, nothing failed, or nothing matches."""
    failed = failed_tests(result)
    if not failed or unfinished(result):
        return None
    matched = [misconception for misconception in catalogue().get(result.get("lab") or "", ())
               if misconception.matches(failed)]
    if not matched:
        return None
    return Match(tuple(m for m in matched if m.tests == matched[0].tests))
