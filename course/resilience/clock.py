"""Simulated time and seeded randomness.

Code that waits or draws at random takes a ``sleep``, a ``clock`` and an ``rng`` as
arguments instead of calling ``time.sleep``, ``time.monotonic`` and ``random`` itself.
A test then runs an hour of retries in microseconds and gets the same answer every run;
a notebook passes the real ones when it wants real time.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable
from typing import Protocol

__all__ = [  # what chapters and labs import from this module
    "DEFAULT_SEED",
    "Clock",
    "SimClock",
    "Timeline",
    "make_rng",
    "next_tick_s",
]

DEFAULT_SEED = 2015  # the year of the AWS "Exponential Backoff And Jitter" post


class Clock(Protocol):
    """What code that waits needs of a clock: the time now (``clock()`` or ``clock.now()``,
    in seconds) and a way to wait. ``SimClock`` is one; any object with these three, such
    as one built on ``time.monotonic`` and ``time.sleep``, is another."""

    def __call__(self) -> float: ...

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


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

    def rewind_to(self, time_s: float) -> None:
        """Move the clock back to ``time_s``, for a simulation that runs one actor's
        blocking call to its end in simulated time and lets the rest of the world go on
        from when that call began (``own_time``)."""
        if time_s > self._now_s:
            raise ValueError(f"rewind_to goes back in time, not forward ({time_s} s)")
        self._now_s = float(time_s)

    @property
    def slept_s(self) -> float:
        """Total time spent in ``sleep``."""
        return sum(self.sleeps)

    def __repr__(self) -> str:
        return f"SimClock(now={self._now_s:.3f} s, sleeps={len(self.sleeps)})"


def make_rng(seed: int = DEFAULT_SEED) -> random.Random:
    """A private, seeded random generator: pass it where code draws at random."""
    return random.Random(seed)


class Timeline:
    """Actions scheduled at simulated times, run in time order on a ``SimClock``.

    The event loop of the course's emulators (pollers, invocations, producers): each action
    runs when the clock reaches its time. An action that finds nothing to do can go quiet
    with ``when_active(wake)``: it costs nothing until some other action runs (a write, an
    invocation that ends), and is not itself activity, so idle pollers never wake each other.
    """

    def __init__(self, clock: SimClock):
        self.clock = clock
        self._queue: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._sleepers: list[Callable[[], None]] = []
        self._quiet = False

    def at(self, time_s: float, action: Callable[[], None]) -> None:
        """Run ``action()`` when the clock reaches ``time_s`` (now, if that is past)."""
        heapq.heappush(self._queue, (max(time_s, self.clock.now()), next(self._order), action))

    def after(self, delay_s: float, action: Callable[[], None]) -> None:
        """Run ``action()`` ``delay_s`` seconds from now."""
        self.at(self.clock.now() + delay_s, action)

    def when_active(self, wake: Callable[[], None]) -> None:
        """Call ``wake()`` after the next action that does something; the current action
        counts as idle."""
        self._sleepers.append(wake)
        self._quiet = True

    def idle(self) -> None:
        """Mark the current action as idle: it does not wake sleepers."""
        self._quiet = True

    @property
    def next_time_s(self) -> float | None:
        """When the next scheduled action runs, or None if nothing is scheduled."""
        return self._queue[0][0] if self._queue else None

    def run(self, until_s: float | None = None) -> None:
        """Run actions in time order until ``until_s`` (then move the clock there), or until
        nothing is scheduled and only sleepers are left."""
        while self._queue and (until_s is None or self._queue[0][0] <= until_s):
            time_s, _, action = heapq.heappop(self._queue)
            if time_s > self.clock.now():
                self.clock.advance(time_s - self.clock.now())
            self._quiet = False
            action()
            if not self._quiet and self._sleepers:
                sleepers, self._sleepers = self._sleepers, []
                for wake in sleepers:
                    wake()
        if until_s is not None and until_s > self.clock.now():
            self.clock.advance(until_s - self.clock.now())


def next_tick_s(last_s: float, now_s: float, interval_s: float) -> float:
    """The first time at or after ``now_s`` on the grid ``last_s + k * interval_s``: when a
    poller that polls every ``interval_s`` next looks."""
    if now_s <= last_s:
        return last_s + interval_s
    return last_s + max(1, math.ceil((now_s - last_s) / interval_s - 1e-9)) * interval_s
