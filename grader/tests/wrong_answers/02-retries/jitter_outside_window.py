"""full_jitter adds a random amount on top of the exponential delay instead of drawing
within it, so its delays overshoot min(cap, base * 2**attempt)."""

BELIEVED = "Jitter is a small random extra added on top of the exponential delay."

VIOLATES = ["1.2"]

EDITS = {
    "backoff": [
        ("""    return rng.uniform(0, exponential_backoff(attempt, base, cap))""",
         """    # backoff plus a little random jitter
    return exponential_backoff(attempt, base, cap) + rng.uniform(0, base)"""),
    ],
}

EXPECTED_FAILURES = {
    "test_full_jitter": "Delays past the ceiling wait too long",
    "test_sleeps_with_jitter": "it adds no fixed part",
}
