"""exponential_backoff forgets the cap: base * 2**attempt grows without bound."""

REPLACES = {"backoff": '''
def exponential_backoff(attempt, base, cap):
    """The delay before retry number ``attempt`` (0 = the first retry), without jitter."""
    return base * 2**attempt


def full_jitter(attempt, base, cap, rng):
    """A delay drawn uniformly from [0, exponential_backoff(attempt, base, cap)]."""
    return rng.uniform(0, exponential_backoff(attempt, base, cap))


def equal_jitter(attempt, base, cap, rng):
    """Half the exponential delay, plus a uniform draw over the other half."""
    ceiling = exponential_backoff(attempt, base, cap)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def decorrelated_jitter(previous, base, cap, rng):
    """A delay drawn from [base, 3 * previous], never more than cap."""
    return min(cap, rng.uniform(base, previous * 3))
'''}

EXPECTED_FAILURES = {
    "test_exponential_backoff": "Without a cap, a long outage makes clients wait for hours",
    "test_full_jitter": "no cap also lands here",
    "test_equal_jitter": "t = min(cap, base * 2**attempt)",
    "test_sleeps_with_jitter": "The cap is missing",
}
