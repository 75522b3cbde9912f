"""full_jitter adds a random amount on top of the exponential delay instead of drawing
within it, so its delays overshoot min(cap, base * 2**attempt)."""

REPLACES = {"backoff": '''
def exponential_backoff(attempt, base, cap):
    """The delay before retry number ``attempt`` (0 = the first retry), without jitter."""
    return min(cap, base * 2**attempt)


def full_jitter(attempt, base, cap, rng):
    """A delay drawn uniformly from [0, exponential_backoff(attempt, base, cap)]."""
    # backoff plus a little random jitter
    return exponential_backoff(attempt, base, cap) + rng.uniform(0, base)


def equal_jitter(attempt, base, cap, rng):
    """Half the exponential delay, plus a uniform draw over the other half."""
    ceiling = exponential_backoff(attempt, base, cap)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def decorrelated_jitter(previous, base, cap, rng):
    """A delay drawn from [base, 3 * previous], never more than cap."""
    return min(cap, rng.uniform(base, previous * 3))
'''}

EXPECTED_FAILURES = {
    "test_full_jitter": "= [0, min(cap, base * 2**attempt)]. Delays past the ceiling wait too "
                        "long",
    "test_sleeps_with_jitter": "Full jitter draws the whole wait from that window: it adds no "
                               "fixed part",
}
