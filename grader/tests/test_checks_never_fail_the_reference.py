"""The statistical checks never fail the reference solution, whatever the seed.

The labs' checks use fixed seeds; here the reference answers (run in this process, from the
trusted source) go through the same checks under many other seeds: the jitter checks of lab
02, and the simulated service of lab 05 (its thresholds are not tuned to one lucky seed).
"""

import pytest

from grader.labs import answer_cells, load_lab
from grader.submissions import load_notebook
from resilience.checks import load_shedding, retries

SEEDS = range(300)


def _reference(lab_id: str) -> dict:
    lab = load_lab(lab_id)
    namespace = {}
    for cell in lab.setup + answer_cells(lab, load_notebook(lab_id, "solution")):
        exec(cell["source"], namespace)
    return namespace


@pytest.fixture(scope="module")
def reference():
    return _reference("02-retries")


@pytest.mark.parametrize("check, name", [
    (retries.check_full_jitter, "full_jitter"),
    (retries.check_equal_jitter, "equal_jitter"),
    (retries.check_decorrelated_jitter, "decorrelated_jitter"),
])
def test_jitter_checks_pass_the_reference_for_every_seed(reference, check, name):
    for seed in SEEDS:
        check(reference[name], seed=seed)


def test_wrapper_jitter_check_passes_the_reference(reference):
    retries.check_sleeps_with_jitter(reference["call_with_retries"])


@pytest.mark.parametrize("check", [load_shedding.check_low_load_rejects_nothing,
                                   load_shedding.check_goodput_at_twice_capacity,
                                   load_shedding.check_metastable_failure_recovers])
def test_load_shedding_checks_pass_the_reference_for_other_seeds(check):
    policies = _reference("05-load-shedding")
    for seed in range(10):
        check(policies["admit"], policies["shed"], seed=seed)
