"""The learner's process: the learner's code runs in it, with limits; the grader holds only
proxies.

``LearnerProcess`` starts ``grader.child`` in a new session with memory, CPU and file-size
limits, in an empty working folder, with no standard input and its output discarded.
Tests run here, in the grader's process: they call the learner's functions through
proxies, so nothing the learner's code does can rewrite a test or its verdict.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.confine import kill_namespace, user_namespace
from grader.peer import Peer, learner_may_call
from grader.wire import Channel, WireError

CHILD_SCRIPT = str(Path(__file__).with_name("child.py"))
IMPORT_ROOT = str(Path(__file__).resolve().parent.parent)  # where ``import grader`` works
MEMORY_LIMIT_BYTES = 2 * 1024**3
FILE_SIZE_LIMIT_BYTES = 16 * 1024**2
SAFE_ENVIRONMENT = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "MPLBACKEND": "Agg",
}


def _limit_resources(cpu_seconds: int):
    """What the learner's process runs before Python starts in it: its memory, CPU-time,
    file-size and core-dump limits (``cpu_seconds`` of CPU time)."""

    def apply():
        """Set the limits, in the new process (as ``Popen``'s ``preexec_fn``)."""
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_BYTES, FILE_SIZE_LIMIT_BYTES))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


ERROR_FIELDS = ("label", "type", "message", "line")  # what a cell's error report may hold
SETUP_SEND_LIMIT_S = 30.0  # for the child to read its cells, before any learner code runs


def _list(value) -> list:
    """``value`` if it is a list: the learner's process may send anything."""
    return value if isinstance(value, list) else []


class LearnerProcess:
    """One run of a submission's cells in a separate, limited process."""

    def __init__(self, cells: list[dict], exports: list[str], cpu_seconds: int = 60):
        self._workdir = tempfile.TemporaryDirectory(prefix="learner-")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-I", CHILD_SCRIPT, str(to_child_r), str(from_child_w), IMPORT_ROOT],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("GRADER_DEBUG") else subprocess.DEVNULL,
            cwd=self._workdir.name,
            env={**SAFE_ENVIRONMENT, "HOME": self._workdir.name, "TMPDIR": self._workdir.name},
            start_new_session=True,
            preexec_fn=_limit_resources(cpu_seconds),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        os.set_blocking(to_child_w, False)  # a learner that stops reading cannot stall us
        self.channel = Channel(from_child_r, to_child_w)
        self.peer = Peer(self.channel, self._resolve, may_call=learner_may_call)
        self._exports = set(exports)
        self.channel.send({"op": "setup", "cells": cells, "exports": exports},
                          time.monotonic() + SETUP_SEND_LIMIT_S)
        self.cell_errors: list[dict] = []
        self.defined: list[str] = []
        self.confined: list[str] = []  # the layers of grader.confine in force
        self._namespace: str | None = None  # its user namespace, once it has its own

    def wait_ready(self, deadline: float) -> None:
        """Wait until the learner's cells have run; raises ``LearnerTimeout``/``WireError``."""
        ready = self.channel.receive(deadline)
        self._namespace = user_namespace(self.process.pid)  # read here: never taken on its word
        if ready.get("op") != "ready":
            raise WireError("the learner's process did not start properly")
        self.cell_errors = [{k: None if v is None else str(v)[:500] for k, v in e.items()
                             if k in ERROR_FIELDS}
                            for e in _list(ready.get("errors")) if isinstance(e, dict)]
        self.defined = [n for n in _list(ready.get("defined")) if n in self._exports]
        self.confined = [n for n in _list(ready.get("confined")) if isinstance(n, str)]

    def namespace(self) -> dict:
        """Proxies for the names the learner's answers define."""
        return {name: self.peer.proxy(name) for name in self.defined}

    def _resolve(self, target):
        """The grader's object that a request from the learner's process names: only by a
        handle the grader gave it, never by a name of the grader's."""
        if isinstance(target, dict) and isinstance(target.get("handle"), int):
            return self.peer.codec.lookup(target["handle"])
        raise WireError("the learner's process named an object it was never given")

    def set_deadline(self, deadline: float) -> None:
        """Calls into the learner's code must answer by ``deadline`` (``time.monotonic``)."""
        self.peer.deadline = deadline

    def close(self) -> None:
        """End the process and everything it started."""
        for fd in (self.channel.read_fd, self.channel.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        namespace = user_namespace(self.process.pid)
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.wait()
        kill_namespace(namespace or self._namespace)
        self._workdir.cleanup()
