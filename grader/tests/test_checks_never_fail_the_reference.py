"""The statistical checks of jitter never fail the reference solution, whatever the seed.

The lab's checks use fixed seeds; here the reference answers (run in this process, from the
trusted source) go through the same checks under hundreds of other seeds.
"""

import pytest

from grader.labs import answer_cells, load_lab
from resilience.checks import retries

SEEDS = range(300)


@pytest.fixture(scope="module")
def reference():
    from conftest import load_notebook

    lab = load_lab("02-retries")
    namespace = {}
    for cell in lab.setup + answer_cells(lab, load_notebook("02-retries", "solution")):
        exec(cell["source"], namespace)
    return namespace


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
