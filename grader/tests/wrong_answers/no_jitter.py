"""full_jitter returns the exponential ceiling itself and never draws from rng: no jitter."""

REPLACES = {"backoff": '''
def exponential_backoff(attempt, base, cap):
    """The delay before retry number ``attempt`` (0 = the first retry), without jitter."""
    return min(cap, base * 2**attempt)


def full_jitter(attempt, base, cap, rng):
    """A delay drawn uniformly from [0, exponential_backoff(attempt, base, cap)]."""
    return exponential_backoff(attempt, base, cap)


def equal_jitter(attempt, base, cap, rng):
    """Half the exponential delay, plus a uniform draw over the other half."""
    ceiling = exponential_backoff(attempt, base, cap)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def decorrelated_jitter(previous, base, cap, rng):
    """A delay drawn from [base, 3 * previous], never more than cap."""
    return min(cap, rng.uniform(base, previous * 3))
'''}

EXPECTED_FAILURES = {
    "test_full_jitter": "there is no jitter. Clients that back off in lockstep retry in lockstep",
    "test_sleeps_with_jitter": "there is no jitter",
}
