"""equal_jitter halves the uncapped delay and caps the sum, so once the cap is reached it
returns cap itself: no jitter where it matters most."""

BELIEVED = "Applying the cap to the final delay is the same as capping t first."

VIOLATES = ["1.3"]

ANSWERS = {
    "backoff": '''
def exponential_backoff(attempt, base, cap):
    return min(cap, base * (2 ** attempt))


def full_jitter(attempt, base, cap, rng):
    ceiling = exponential_backoff(attempt, base, cap)
    return rng.uniform(0, ceiling)


def equal_jitter(attempt, base, cap, rng):
    half = base * 2 ** attempt / 2
    return min(cap, half + rng.uniform(0, half))


def decorrelated_jitter(previous, base, cap, rng):
    return min(cap, rng.uniform(base, previous * 3))
''',
}

EXPECTED_FAILURES = {
    "test_equal_jitter": "Cap t before halving it",
}
