"""exponential_backoff rounds its delays to whole milliseconds, so a base that is not a whole
number of milliseconds does not double exactly."""

BELIEVED = "Delays finer than a millisecond do not matter, so they can be rounded."

VIOLATES = ["1.1"]

ANSWERS = {
    "backoff": '''
def exponential_backoff(attempt, base, cap):
    """base, 2 * base, 4 * base, ... up to cap, to the millisecond."""
    delay = base
    for _ in range(attempt):
        delay = min(cap, delay * 2)
    return round(min(cap, delay), 3)


def full_jitter(attempt, base, cap, rng):
    """Anywhere between no wait and the exponential delay."""
    return rng.uniform(0, exponential_backoff(attempt, base, cap))


def equal_jitter(attempt, base, cap, rng):
    """At least half the exponential delay, the rest at random."""
    half = exponential_backoff(attempt, base, cap) / 2
    return half + rng.uniform(0, half)


def decorrelated_jitter(previous, base, cap, rng):
    """Up to three times the last delay, at least base, at most cap."""
    return min(cap, rng.uniform(base, 3 * previous))
''',
}

EXPECTED_FAILURES = {
    "test_exponential_backoff": "expected min(cap, base * 2**attempt)",
}
