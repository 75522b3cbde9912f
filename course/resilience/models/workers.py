"""Idle workers in a simpy model: each waits on an event of its own, and new work wakes one.

A worker with nothing to do ``yield``s ``idle.wait()``; whoever queues work calls
``idle.wake_one()``. Waking one worker per item of work, rather than all of them, keeps a
model of many workers from waking them all to find one request.
"""

from __future__ import annotations

import simpy


class IdleWorkers:
    """The workers of one pool that wait for work, the most recently idle first."""

    def __init__(self, env: simpy.Environment):
        self._env = env
        self._waiting: list[simpy.Event] = []

    def wait(self) -> simpy.Event:
        """The event an idle worker waits on until work comes."""
        wake = self._env.event()
        self._waiting.append(wake)
        return wake

    def wake_one(self) -> None:
        """New work: wake one idle worker, if any is idle."""
        if self._waiting:
            self._waiting.pop().succeed()
