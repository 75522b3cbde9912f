"""Simulated time and seeded randomness.

Code that waits or draws at random takes a ``sleep``, a ``clock`` and an ``rng`` as
arguments instead of calling ``time.sleep``, ``time.monotonic`` and ``random`` itself.
A test then runs an hour of retries in microseconds and gets the same answer every run;
a notebook passes the real ones when it wants real time.
"""

from __future__ import annotations

import random

DEFAULT_SEED = 2015  # the year of the AWS "Exponential Backoff And Jitter" post


class SimClock:
    """A clock that only moves when something sleeps on it or advances it.

    ``sleep`` is a drop-in for ``time.sleep``: it records the wait and moves the clock on
    at once. ``now`` (also callable as ``clock()``) is a drop-in for ``time.monotonic``.
    """

    def __init__(self, start_s: float = 0.0):
        self._now_s = float(start_s)
        self.sleeps: list[float] = []

    def now(self) -> float:
        """Seconds since the clock's epoch."""
        return self._now_s

    __call__ = now

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of simulated time, and remember that we did."""
        seconds = float(seconds)
        if seconds < 0:
            raise ValueError(f"cannot sleep for a negative time ({seconds} s)")
        self.sleeps.append(seconds)
        self._now_s += seconds

    def advance(self, seconds: float) -> None:
        """Move time on without counting it as a sleep (work, network latency)."""
        if seconds < 0:
            raise ValueError(f"time cannot go backwards ({seconds} s)")
        self._now_s += float(seconds)

    @property
    def slept_s(self) -> float:
        """Total time spent in ``sleep``."""
        return sum(self.sleeps)

    def __repr__(self) -> str:
        return f"SimClock(now={self._now_s:.3f} s, sleeps={len(self.sleeps)})"


def make_rng(seed: int = DEFAULT_SEED) -> random.Random:
    """A private, seeded random generator: pass it where code draws at random."""
    return random.Random(seed)
