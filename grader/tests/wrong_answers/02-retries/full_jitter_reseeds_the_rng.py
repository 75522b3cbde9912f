"""full_jitter reseeds the rng with the attempt number before drawing, so every client draws
the same delays whatever seed it was given."""

BELIEVED = "Seeding the rng with the attempt number makes the delays repeatable."

VIOLATES = ["1.5"]

ANSWERS = {
    "backoff": '''
def exponential_backoff(attempt, base, cap):
    """min(cap, base * 2**attempt)"""
    return min(cap, base * 2**attempt)


def full_jitter(attempt, base, cap, rng):
    """Uniform in [0, exponential_backoff], the same for the same attempt."""
    rng.seed(attempt)
    return rng.uniform(0, exponential_backoff(attempt, base, cap))


def equal_jitter(attempt, base, cap, rng):
    """Half fixed, half random."""
    t = exponential_backoff(attempt, base, cap)
    return t / 2 + rng.uniform(0, t / 2)


def decorrelated_jitter(previous, base, cap, rng):
    """Between base and three times the previous delay, capped."""
    return min(cap, rng.uniform(base, previous * 3))
''',
}

EXPECTED_FAILURES = {
    "test_full_jitter": "from the rng you are given",
}
