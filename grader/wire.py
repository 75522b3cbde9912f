"""The wire between the grader and the learner's process: JSON lines, never pickle.

Only plain data crosses by value (numbers, strings, bytes, lists, tuples, dicts, and the
course package's named tuples, such as the views a policy is shown). ``random.Random``
crosses by value too, its state copied in and out, so a learner's jitter draws from the
very generator the test seeded. A botocore ``Config`` crosses as the options it was given
(only options botocore knows), so a learner can build one and hand it to a grader's
session. Exceptions cross as data and are rebuilt on the other side
only from a short list of known types (builtins and botocore's), so a learner's
``except ClientError`` works as in production while nothing the learner's process sends can
make the grader build an object of the learner's choosing. Everything else crosses as a
handle: a number that the side owning the object resolves.
"""

from __future__ import annotations

import array
import base64
import builtins
import functools
import json
import os
import random
import select
import time
from collections.abc import Callable
from typing import Any

MAX_MESSAGE_BYTES = 32 * 1024 * 1024  # a message larger than this ends the learner's process


class WireError(Exception):
    """The other side sent something that is not a well-formed message, or went away."""


class LearnerTimeout(Exception):
    """The learner's process did not answer within the time it was given."""


class RemoteException(Exception):
    """An exception of a type that is not rebuilt across the wire (its name and message)."""

    def __init__(self, type_name: str, message: str):
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name = type_name
        self.message = message


# -- exceptions -----------------------------------------------------------------------------


REBUILT_MODULES = ("builtins", "botocore.exceptions")


def encode_exception(exc: BaseException, *, with_cause: bool = True) -> dict:
    """An exception as data: its nearest type that the other side can rebuild (botocore's
    per-service error classes become ``ClientError``), its message, botocore's data, and
    the exception it was raised ``from`` (one level: what a check may ask of a cause)."""
    known = next((c for c in type(exc).__mro__ if c.__module__ in REBUILT_MODULES), Exception)
    if type(exc).__module__ == "resilience.aws.mappingparams":  # a refused mapping, by name,
        known = type(exc)  # so it keeps its own words, not its base ValueError's
    data: dict[str, Any] = {"type": known.__name__, "module": known.__module__,
                            "message": str(exc)}
    if data["module"] == "botocore.exceptions":
        if hasattr(exc, "response") and hasattr(exc, "operation_name"):
            data["response"] = _plain(exc.response)
            data["operation_name"] = exc.operation_name
        else:
            data["kwargs"] = _plain(getattr(exc, "kwargs", {}))
    if with_cause and exc.__cause__ is not None:
        data["cause"] = encode_exception(exc.__cause__, with_cause=False)
    return data


def decode_exception(data: object, *, with_cause: bool = True) -> BaseException:
    """Rebuild a known exception type, or a ``RemoteException`` naming the unknown one, with
    its cause rebuilt the same way (one level, whatever the data claims)."""
    if not isinstance(data, dict):
        return RemoteException("UnknownError", repr(data)[:200])
    rebuilt = _rebuilt_exception(data)
    if with_cause and data.get("cause") is not None:
        rebuilt.__cause__ = decode_exception(data["cause"], with_cause=False)
    return rebuilt


def _rebuilt_exception(data: dict) -> BaseException:
    """The exception ``data`` describes, without its cause."""
    name, module, message = data.get("type"), data.get("module"), str(data.get("message", ""))
    if module == "botocore.exceptions":
        import botocore.exceptions as bex

        cls = getattr(bex, str(name), None)
        if cls is bex.ClientError or (isinstance(cls, type) and issubclass(cls, bex.ClientError)):
            try:
                return cls(data.get("response") or {}, data.get("operation_name") or "")
            except Exception:
                pass
        elif isinstance(cls, type) and issubclass(cls, bex.BotoCoreError):
            exception_class: Any = cls  # botocore is untyped; its own __new__ is the safe one
            exc = exception_class.__new__(exception_class)
            Exception.__init__(exc, message)
            exc.kwargs = data.get("kwargs") or {}
            return exc
    elif module == "builtins":
        cls = getattr(builtins, str(name), None)
        if isinstance(cls, type) and issubclass(cls, Exception):
            try:
                return cls(message) if message else cls()
            except Exception:
                pass
    return RemoteException(str(name), message)


def _plain(value):
    """JSON-safe copy of response data (dates and bytes become strings)."""
    return json.loads(json.dumps(value, default=str))


# -- values ---------------------------------------------------------------------------------

PLAIN_TYPES = (str, int, float, bool, type(None))


class Codec:
    """Turns values into wire data and back, keeping this side's objects behind handles.

    ``make_proxy(handle, service)`` builds the local stand-in for an object the other side
    owns; ``service`` names the AWS service when that object is a boto3 client.
    """

    def __init__(self, make_proxy: Callable[..., object]) -> None:
        self._make_proxy = make_proxy
        self.objects: dict[int, object] = {}  # our objects the other side holds handles to
        self._ids: dict[int, int] = {}
        self.rngs: dict[int, tuple] = {}  # generators copied in for this call: (copy, state)
        self._copies: dict[int, random.Random] = {}  # our copies of the other side's
        self._synced: dict[int, tuple] = {}  # the state each of ours had when last in sync

    def encode(self, value, depth: int = 0):
        if depth > 50:
            raise WireError("value nested too deeply to send")
        if isinstance(value, PLAIN_TYPES):
            return value
        if _is_course_record(value):
            return {"$record": [type(value).__module__, type(value).__qualname__,
                                self.encode(list(value), depth + 1)]}
        if isinstance(value, (list, tuple)):
            items = [self.encode(v, depth + 1) for v in value]
            return items if isinstance(value, list) else {"$tuple": items}
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {"$dict": {k: self.encode(v, depth + 1) for k, v in value.items()}}
        if isinstance(value, dict):  # other keys (numbers, tuples): as a list of pairs
            return {"$map": [[self.encode(k, depth + 1), self.encode(v, depth + 1)]
                             for k, v in value.items()]}
        if isinstance(value, (bytes, bytearray)):
            return {"$bytes": base64.b64encode(value).decode()}
        if _is_botocore_config(value):
            return {"$config": self.encode(dict(value._user_provided_options), depth + 1)}
        if isinstance(value, random.Random):
            key, state = self._handle(value), value.getstate()
            if self._synced.get(key) == state:  # the other side's copy is already there
                return {"$rng": key}
            self._synced[key] = state
            return {"$rng": key, "state": _pack_rng_state(state)}
        if isinstance(value, BaseException):
            return {"$exc": encode_exception(value)}
        if getattr(value, "$handle", None) is not None:
            return {"$theirs": getattr(value, "$handle")}
        service = botocore_service(value)
        if service is not None:
            return {"$ours": self._handle(value), "service": service}
        return {"$ours": self._handle(value)}

    def decode(self, data, depth: int = 0):
        if depth > 50:
            raise WireError("value nested too deeply")
        if isinstance(data, PLAIN_TYPES):
            return data
        if isinstance(data, list):
            return [self.decode(v, depth + 1) for v in data]
        if not isinstance(data, dict) or len(data) not in (1, 2):
            raise WireError("malformed value")
        if "$tuple" in data:
            return tuple(self.decode(data["$tuple"], depth + 1))
        if "$record" in data:
            return _course_record(data["$record"], self.decode, depth)
        if "$dict" in data and isinstance(data["$dict"], dict):
            return {str(k): self.decode(v, depth + 1) for k, v in data["$dict"].items()}
        if "$map" in data and isinstance(data["$map"], list):
            try:
                return {self.decode(k, depth + 1): self.decode(v, depth + 1)
                        for k, v in data["$map"]}
            except (TypeError, ValueError):
                raise WireError("malformed mapping") from None
        if "$bytes" in data:
            try:
                return base64.b64decode(str(data["$bytes"]), validate=True)
            except ValueError:
                raise WireError("malformed bytes") from None
        if "$config" in data:
            return _botocore_config(self.decode(data["$config"], depth + 1))
        if "$rng" in data:
            key = int(data["$rng"])
            if "state" in data:
                self._copies.setdefault(key, random.Random()).setstate(
                    _rng_from_state(data["state"]))
            elif key not in self._copies:
                raise WireError("unknown generator")
            rng = self._copies[key]
            self.rngs[key] = (rng, rng.getstate())
            return rng
        if "$exc" in data:
            return decode_exception(data["$exc"])
        if "$ours" in data:  # the other side's object: a proxy to it
            service = data.get("service")
            return self._make_proxy(int(data["$ours"]),
                                    service if isinstance(service, str) else None)
        if "$theirs" in data:  # one of ours, coming back
            return self.lookup(int(data["$theirs"]))
        raise WireError("malformed value")

    def lookup(self, handle: int):
        try:
            return self.objects[handle]
        except KeyError:
            raise WireError(f"unknown handle {handle}") from None

    def _handle(self, value) -> int:
        key = self._ids.get(id(value))
        if key is None or self.objects.get(key) is not value:
            key = len(self.objects) + 1
            self.objects[key] = value
            self._ids[id(value)] = key
        return key

    def rng_states(self) -> dict[str, list]:
        """The new state of each generator this call drew from, to copy back out."""
        return {str(key): _pack_rng_state(rng.getstate())
                for key, (rng, before) in self.rngs.items() if rng.getstate() != before}

    def restore_rngs(self, states) -> None:
        """Set our generators to the states the other side ended with."""
        if not isinstance(states, dict):
            raise WireError("malformed generator states")
        for key, state in states.items():
            rng = self.objects.get(int(key))
            if isinstance(rng, random.Random):
                rng.setstate(_rng_from_state(state))
                self._synced[int(key)] = rng.getstate()


def _is_botocore_config(value) -> bool:
    if type(value).__module__ != "botocore.config":  # no need to import botocore to know
        return False
    from botocore.config import Config

    return type(value) is Config


# The course package's modules: its records (named tuples) cross by value, and (peer.py)
# its objects' methods may be called from the learner's process.
COURSE_MODULE_PREFIX = "resilience."


def _is_course_record(value) -> bool:
    """A named tuple of the course's package, such as what a policy is shown."""
    return (isinstance(value, tuple) and hasattr(type(value), "_fields")
            and type(value).__module__.startswith(COURSE_MODULE_PREFIX))


def _course_record(data, decode, depth: int):
    """Rebuild a course record by its module and name: only the course's named tuples."""
    import importlib

    try:
        module, name, items = data
        cls = getattr(importlib.import_module(str(module)), str(name), None) if str(
            module).startswith(COURSE_MODULE_PREFIX) else None
        if not (isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")):
            raise WireError(f"not a course record: {module}.{name}")
        return cls(*decode(items, depth + 1))
    except (TypeError, ValueError, ImportError):
        raise WireError("malformed record") from None


def is_api_operation(client, name: str) -> bool:
    """Whether ``name`` is one of a boto3 client's API operations (``put_item``, not
    ``get_waiter``)."""
    return name in client.meta.method_to_api_mapping


def botocore_service(value) -> str | None:
    """The service name of a boto3 client (its proxy then offers ``client.exceptions``)."""
    if not type(value).__module__.startswith("botocore"):
        return None
    from botocore.client import BaseClient

    return value.meta.service_model.service_name if isinstance(value, BaseClient) else None


@functools.lru_cache(maxsize=32)
def modeled_exceptions(service: str):
    """botocore's exception classes for ``service`` (what ``client.exceptions`` holds), or
    None for a name botocore does not know."""
    import botocore.session
    from botocore.errorfactory import ClientExceptionsFactory

    session = botocore.session.get_session()
    if service not in session.get_available_services():
        return None
    return ClientExceptionsFactory().create_client_exceptions(session.get_service_model(service))


def as_modeled(exc: BaseException, service: str | None) -> BaseException:
    """A ``ClientError`` rebuilt as its service's own class (``ConditionalCheckFailedException``
    ...), so that ``except client.exceptions.X`` works across the wire as it does in-process."""
    import botocore.exceptions

    exceptions = modeled_exceptions(service) if service else None
    if exceptions is None or type(exc) is not botocore.exceptions.ClientError:
        return exc
    error: botocore.exceptions.ClientError = exc  # a plain ClientError, checked just above
    code = error.response.get("Error", {}).get("Code", "")
    return exceptions.from_code(code)(error.response, error.operation_name)


def _botocore_config(options):
    """A botocore ``Config`` from options sent as data: known option names only."""
    from botocore.config import Config

    if not isinstance(options, dict) or not set(options) <= set(Config.OPTION_DEFAULTS):
        raise WireError("malformed client configuration")
    try:
        return Config(**options)
    except (TypeError, ValueError) as exc:
        raise WireError(f"invalid client configuration: {exc}") from None


def _pack_rng_state(state: tuple) -> list:
    """A generator's state, compact: its 625 words packed into one base64 string."""
    version, internal, gauss = state
    return [version, base64.b64encode(array.array("I", internal).tobytes()).decode(), gauss]


def _rng_from_state(state) -> tuple:
    try:
        version, packed, gauss = state
        words = array.array("I")
        words.frombytes(base64.b64decode(packed, validate=True))
        if len(words) != 625 or not (gauss is None or isinstance(gauss, float)):
            raise ValueError
        return (int(version), tuple(words), gauss)
    except (TypeError, ValueError):
        raise WireError("malformed generator state") from None


# -- framing --------------------------------------------------------------------------------


class Channel:
    """JSON messages, one a line, over a pair of file descriptors."""

    def __init__(self, read_fd: int, write_fd: int):
        self.read_fd = read_fd
        self.write_fd = write_fd
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer known to hold no newline

    def send(self, message: dict, deadline: float | None = None) -> None:
        """Write one message; ``LearnerTimeout`` if the other side stops reading until
        ``deadline`` (with a non-blocking descriptor), ``WireError`` if it went away."""
        data = json.dumps(message, allow_nan=True).encode() + b"\n"
        if len(data) > MAX_MESSAGE_BYTES:
            raise WireError("message too large to send")
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.write_fd, view)
            except BlockingIOError:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and (remaining <= 0 or not select.select(
                        [], [self.write_fd], [], remaining)[1]):
                    raise LearnerTimeout() from None
                if remaining is None:
                    select.select([], [self.write_fd], [])
                continue
            except (BrokenPipeError, OSError) as exc:
                raise WireError(f"the other side closed the connection ({exc})") from None
            view = view[written:]

    def receive(self, deadline: float | None = None) -> dict:
        """The next message; ``LearnerTimeout`` past ``deadline`` (a ``time.monotonic``)."""
        while (end := self._buffer.find(b"\n", self._scanned)) < 0:
            self._scanned = len(self._buffer)  # a message read in many chunks: scanned once
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not select.select([self.read_fd], [], [], remaining)[0]:
                    raise LearnerTimeout()
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise WireError("the other side closed the connection")
            self._buffer += chunk
            if len(self._buffer) > MAX_MESSAGE_BYTES:
                raise WireError("message too large")
        line = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        self._scanned = 0
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            raise WireError("malformed message") from None
        if not isinstance(message, dict):
            raise WireError("malformed message")
        return message
