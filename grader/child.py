"""The learner's process: runs the submitted answer cells, then answers the grader's calls.

Started by ``grader.learner`` as ``python -I child.py READ_FD WRITE_FD IMPORT_ROOT``. Nothing
here is trusted by the grader: it only ever reads plain data from this process. Before the
submission's first line runs, the process confines itself (``grader.confine``): no files
but Python's and its own folder, no network, no signals out.
"""

from __future__ import annotations

import os
import sys
import time
import traceback


def _forbid_real_sleep() -> None:
    """Make ``time.sleep`` return at once: graded code waits through the injected ``sleep``,
    and a real wait would only burn the submission's time limit."""
    time.sleep = lambda seconds: None


def _run_cells(cells: list, namespace: dict) -> list[dict]:
    """Execute each cell; report each one that failed (as data) and carry on."""
    errors, pid = [], os.getpid()
    for cell in cells:
        label, source = str(cell.get("label")), str(cell.get("source"))
        try:
            exec(compile(source, f"<{label}>", "exec"), namespace)
        except BaseException as exc:  # a cell that calls exit() must not end grading
            if os.getpid() != pid:
                os._exit(0)  # a process the cell forked: it must not speak for the learner
            frames = traceback.extract_tb(exc.__traceback__)
            lines = [f.lineno for f in frames if f.filename == f"<{label}>"]
            errors.append({"label": label, "type": type(exc).__name__,
                           "message": str(exc)[:500], "line": lines[-1] if lines else None})
        if os.getpid() != pid:
            os._exit(0)
    return errors


def main(read_fd: int, write_fd: int) -> None:
    from grader.confine import confine
    from grader.peer import Peer
    from grader.wire import Channel, WireError

    channel = Channel(read_fd, write_fd)
    namespace: dict = {"__name__": "__main__"}

    def resolve(target):
        if isinstance(target, dict) and isinstance(target.get("name"), str):
            return namespace[target["name"]]
        if isinstance(target, dict) and isinstance(target.get("handle"), int):
            return peer.codec.lookup(target["handle"])
        raise WireError("malformed target")

    peer = Peer(channel, resolve, reported=BaseException, shows_objects=True)
    setup = channel.receive()
    _forbid_real_sleep()
    confined = confine(os.getcwd())
    errors = _run_cells(setup.get("cells", []), namespace)
    defined = [name for name in setup.get("exports", []) if name in namespace]
    channel.send({"op": "ready", "errors": errors, "defined": defined, "confined": confined})
    while True:
        try:
            message = channel.receive()
        except WireError:
            return
        peer.serve(message)


if __name__ == "__main__":
    sys.path[0] = sys.argv[3]  # the folder holding the grader package, not this one
    sys.setrecursionlimit(5000)
    main(int(sys.argv[1]), int(sys.argv[2]))
