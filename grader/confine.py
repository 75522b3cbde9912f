"""What a learner's process may not do, enforced by the kernel where it can be.

The learner's process (``grader.child``) confines itself after it has imported what it
needs and before it runs a single line of the submission:

- **Files** (Landlock, Linux 5.13 and later, no privileges needed): it may read Python, its
  packages, the course's helper package and the system's libraries, and write only in its
  own empty working folder. Hidden tests, the gradebook, other submissions and their
  results are out of reach, for reading and for writing.
- **Network** (a new user and network namespace where the kernel allows unprivileged ones;
  Landlock's TCP rules, Linux 6.7 and later, as well): it has no network at all. Its AWS
  calls go to the grader's moto through the pipe it was given.
- **Signals** (Landlock's signal scope, Linux 6.12 and later): it cannot signal a process
  outside itself, so it cannot kill the grader, or another submission's process.
- **Processes**: a new user namespace takes away root's exemption from ``RLIMIT_NPROC``,
  so a fork bomb stops at a few processes; every process it starts is found by its user
  namespace and killed when grading ends, even one that left its session.

Each layer is applied when the kernel offers it and skipped when it does not;
``confinement()`` says which are in force on this machine (the README's instructor guide
lists what each one needs). Memory, CPU time, file size and wall-clock limits do not
depend on any of this: ``grader.learner`` sets them on every platform.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import sys
from pathlib import Path

EXTRA_PROCESSES = 8  # processes a submission may start, beyond those its user already has
# What Python and its libraries read in /etc (the rest of it, /etc/shadow say, stays shut).
SYSTEM_FILES = ("ld.so.cache", "localtime", "ssl", "ca-certificates", "mime.types", "passwd",
                "group", "nsswitch.conf", "hosts", "os-release")

# -- Landlock (include/uapi/linux/landlock.h) -------------------------------------------------

_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}  # create, add rule, restrict
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_ABI_1 = (1 << 13) - 1  # execute .. make_sym: every right of ABI 1
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1
_READ = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # the kernel's struct is packed
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    """The C library, through the symbols this process already has (no search for it)."""
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI version this kernel offers (0: none)."""
    numbers = _SYSCALLS.get(platform.machine())
    if sys.platform != "linux" or numbers is None:
        return 0
    version = _libc().syscall(numbers[0], None, ctypes.c_size_t(0),
                              ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(version, 0)


def _handled_fs(abi: int) -> int:
    rights = _FS_ABI_1
    if abi >= 2:
        rights |= _FS_REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def _restrict_files_network_signals(readable: list[str], writable: list[str]) -> list[str]:
    """Apply Landlock: read ``readable``, read and write ``writable``, nothing else; no TCP;
    no signals out. Returns the layers applied."""
    abi = landlock_abi()
    if abi < 1:
        return []
    create, add_rule, restrict_self = _SYSCALLS[platform.machine()]
    libc = _libc()
    handled = _handled_fs(abi)
    attr = _RulesetAttr(handled, (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
                        (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return []
    try:
        for rights, paths in ((_READ, readable), (handled, writable)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue  # a path this machine does not have
                try:
                    allowed = rights & handled
                    if not os.path.isdir(path):
                        allowed &= _FILE_RIGHTS
                    rule = _PathBeneathAttr(allowed, fd)
                    libc.syscall(add_rule, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule),
                                 ctypes.c_uint32(0))
                finally:
                    os.close(fd)
        libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS: required to restrict oneself
        if libc.syscall(restrict_self, ruleset, ctypes.c_uint32(0)) != 0:
            return []
    finally:
        os.close(ruleset)
    layers = ["files"]
    if abi >= 4:
        layers.append("tcp")
    if abi >= 6:
        layers.append("signals")
    return layers


def _leave_the_network() -> list[str]:
    """Move into a new user and network namespace: no network interfaces but a loopback
    that is down, and no root exemption from process limits."""
    if sys.platform != "linux":
        return []
    if _libc().unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        return []
    return ["network", "user namespace"]


def _limit_processes() -> None:
    """Allow a few processes beyond those this user already runs."""
    own = sum(1 for entry in Path("/proc").iterdir()
              if entry.name.isdigit() and _owner(entry) == os.getuid())
    limit = own + EXTRA_PROCESSES
    resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))


def _owner(entry: Path) -> int | None:
    try:
        return entry.stat().st_uid
    except OSError:
        return None


def readable_paths() -> list[str]:
    """What a learner's code may read: Python and its packages, the course's helper package,
    the system's libraries and configuration; never the course's own folders."""
    import resilience

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(resilience.__file__).resolve().parent),
             "/usr", "/lib", "/lib64", "/dev/null", "/dev/urandom", "/dev/zero",
             f"/proc/{os.getpid()}"}
    paths |= {f"/etc/{name}" for name in SYSTEM_FILES}
    paths |= {p for p in sys.path if p and "site-packages" in p}
    return sorted(paths)


def confine(workdir: str) -> list[str]:
    """Confine this process (and all it starts) to ``workdir``; returns the layers applied.

    Call once, from the learner's process, after its own imports and before the
    submission's code runs.
    """
    layers = _leave_the_network()
    if "user namespace" in layers:
        _limit_processes()
        layers.append("processes")
    return layers + _restrict_files_network_signals(readable_paths(), [workdir, "/dev/null"])


def user_namespace(pid: int) -> str | None:
    """The user namespace a process is in (``user:[inode]``), or None once it is gone."""
    try:
        return os.readlink(f"/proc/{pid}/ns/user")
    except OSError:
        return None


def kill_namespace(namespace: str | None) -> None:
    """Kill every process in that user namespace: what a submission started, even a process
    that left its session."""
    if not namespace or namespace == user_namespace(os.getpid()):
        return  # never the grader's own namespace
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and user_namespace(int(entry.name)) == namespace:
            try:
                os.kill(int(entry.name), 9)
            except OSError as exc:
                if exc.errno not in (errno.ESRCH, errno.EPERM):
                    raise


def confinement() -> dict[str, bool]:
    """Which layers a learner's process gets on this machine (tried in a throwaway process)."""
    import json
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="confine-probe-") as workdir:
        probe = ("import json, sys; from grader.confine import confine; "
                 f"print(json.dumps(confine({workdir!r})))")
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              cwd=workdir, env={**os.environ, "PYTHONPATH": _import_root()})
    applied = set(json.loads(done.stdout or "[]")) if done.returncode == 0 else set()
    return {layer: layer in applied for layer in
            ("files", "network", "tcp", "signals", "user namespace", "processes")}


def _import_root() -> str:
    return str(Path(__file__).resolve().parent.parent)
