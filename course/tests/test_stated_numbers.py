"""Numbers a chapter states that come from the course's own models, checked against them:
a change of the model's parameters that moves the figure fails here, not in a learner's eyes.
(AWS's documented values are checked by the fact scan, ``test_aws_facts.py``.)"""

import json
import re
from pathlib import Path

import pytest

from resilience.chaos import PLAIN_LENGTH_S, PLAIN_START_S
from resilience.counterexamples import FAMILIES
from resilience.models.backlogs import (
    CAPACITY_PER_S,
    FIFO,
    RATE_PER_S,
    SURGE,
    drain_time_s,
    simulate_backlog,
)

ROOT = Path(__file__).resolve().parents[2]


def _prose(chapter: str) -> str:
    cells = json.loads((ROOT / "course" / chapter).read_text())["cells"]
    return " ".join(" ".join("".join(c["source"]).split())
                    for c in cells if c["cell_type"] == "markdown")


def test_chapter_6_states_the_backlog_its_surge_builds():
    prose = _prose("06-queue-backlogs.ipynb")
    match = re.search(r"surge to (\d+) times the rate, for a minute, builds a backlog of "
                      r"about ([\d,]+) messages", prose)
    assert match, "chapter 6 no longer states the surge's backlog: update this test"
    factor, stated = int(match[1]), int(match[2].replace(",", ""))
    steady = (factor * RATE_PER_S - CAPACITY_PER_S) * 60  # arrivals beyond capacity, 60 s
    run = simulate_backlog(FIFO, SURGE, factor=factor)
    simulated = run.main_depth[int(run.disturbance_end_s) - 1]
    assert stated == pytest.approx(steady, rel=0.02), (stated, steady)
    assert stated == pytest.approx(simulated, rel=0.05), (stated, simulated)


def test_chapter_6_states_how_long_the_surge_backlog_takes_to_clear():
    prose = _prose("06-queue-backlogs.ipynb")
    assert "takes about two minutes to clear" in prose
    steady_backlog = (3 * RATE_PER_S - CAPACITY_PER_S) * 60
    # once the surge ends, the backlog shrinks at μ - λ, as an outage's does
    assert steady_backlog / (CAPACITY_PER_S - RATE_PER_S) == 120
    assert drain_time_s(RATE_PER_S, CAPACITY_PER_S, steady_backlog / RATE_PER_S) == 120
    assert simulate_backlog(FIFO, SURGE).drained_s == pytest.approx(120, rel=0.1)


def test_chapter_9_states_where_a_search_starts_each_family():
    prose = _prose("09-capstone.ipynb")
    assert (f"plain fault (from {PLAIN_START_S} s, for {PLAIN_LENGTH_S} s, on all it strikes, "
            f"or on half the calls for a flaky stream)") in prose, (
        "chapter 9 no longer states the plain fault: update this test")
    flaky = next(family for family in FAMILIES if family.name == "the stream's errors")
    assert flaky.rates[0] == 0.5 and all(
        family.rates[0] == 1.0 for family in FAMILIES if family is not flaky)
