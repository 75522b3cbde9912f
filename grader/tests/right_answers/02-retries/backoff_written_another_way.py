"""The backoff strategies written another way: a doubling loop, rng.random() scaled by hand,
equal jitter as one draw from [t / 2, t], and a decorrelated draw spelled out."""

ANSWERS = {
    "backoff": '''
import logging


def exponential_backoff(attempt, base, cap):
    """Double from base, attempt times, never past cap."""
    delay = base
    for _ in range(attempt):
        if delay >= cap:
            break
        delay *= 2
    return min(delay, cap)


def full_jitter(attempt, base, cap, rng):
    """Anywhere in [0, t]: t scaled by one draw of rng.random()."""
    ceiling = exponential_backoff(attempt, base, cap)
    delay = ceiling * rng.random()
    logging.getLogger("backoff").debug("full jitter, attempt %d: %.4f s of %.4f s",
                                       attempt, delay, ceiling)
    return delay


def equal_jitter(attempt, base, cap, rng):
    """One draw from the upper half of [0, t]."""
    ceiling = exponential_backoff(attempt, base, cap)
    return rng.uniform(ceiling / 2, ceiling)


def decorrelated_jitter(previous, base, cap, rng):
    """base + a random share of (3 * previous - base), held at cap."""
    upper = 3 * previous
    delay = base + (upper - base) * rng.random()
    return delay if delay < cap else cap
''',
}
