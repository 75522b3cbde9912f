"""Calls across the wire, in both directions.

The grader calls the learner's functions; while one runs, the learner's code may call back
into objects the grader passed it (a fake ``sleep``, a fault-injected boto3 client). Both
sides run the same loop: send a request, then serve the other side's requests until the
answer to ours arrives.
"""

from __future__ import annotations

import random

from grader.wire import (
    COURSE_MODULE_PREFIX,
    Channel,
    Codec,
    WireError,
    as_modeled,
    botocore_service,
    decode_exception,
    encode_exception,
    is_api_operation,
    modeled_exceptions,
)


def learner_may_call(target, attr: str | None) -> bool:
    """What the learner's code may do with an object the grader handed it: call a function
    the test passed (a fake ``sleep``, a ``process``), call an API operation of a boto3
    client, or call a method of one of the course's objects (a simulated clock, a payment
    API). Nothing else: not a generator's methods (generators cross by value), not a
    client's waiters and paginators (which sleep for real), not any other object's."""
    if isinstance(target, random.Random):
        return False
    if botocore_service(target) is not None:
        return attr is not None and is_api_operation(target, attr)
    if attr is None:
        return callable(target) and not isinstance(target, type)
    return type(target).__module__.startswith(COURSE_MODULE_PREFIX)


MAX_REPR_CHARS = 300  # of an object shown in feedback


class Proxy:
    """Stands for an object that lives on the other side of the wire. A proxy for a boto3
    client also offers ``client.exceptions`` and raises the service's own error classes."""

    def __init__(self, peer: Peer, target: dict, service: str | None = None):
        object.__setattr__(self, "_peer", peer)
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_service", service)
        object.__setattr__(self, "$handle", target.get("handle"))

    def __call__(self, *args, **kwargs):
        return self._call(None, args, kwargs)

    def __getattr__(self, name: str):
        """``proxy.method(...)`` calls that method over there. Only calls cross the wire:
        reading another side's attributes is not offered (but for a client's exceptions)."""
        if name.startswith("_"):
            raise AttributeError(name)
        if name == "exceptions" and self._service and modeled_exceptions(self._service):
            return modeled_exceptions(self._service)

        def method(*args, **kwargs):
            return self._call(name, args, kwargs)

        return method

    def _call(self, attr: str | None, args, kwargs):
        try:
            return self._peer.request({"op": "call", "target": self._target, "attr": attr},
                                      args, kwargs)
        except Exception as exc:
            modeled = as_modeled(exc, self._service)
            if modeled is exc:
                raise
            raise modeled from None

    def __repr__(self) -> str:
        """The object's own repr, asked of the side it lives on (a learner's numpy integer
        reads ``np.int64(3)`` in feedback, not as a handle); a placeholder if it cannot
        be had."""
        try:
            shown = self._peer.request({"op": "repr", "target": self._target})
        except Exception:  # noqa: BLE001 - a repr that fails or hangs is shown as such
            shown = None
        return shown if isinstance(shown, str) else "<an object that could not be shown>"


class Peer:
    """One end of the wire. ``resolve(target)`` finds a local object a request names. The
    learner's side reports every exception, ``SystemExit`` included; the grader's side lets
    its own aborts (``BaseException``) unwind the call instead of answering it."""

    def __init__(self, channel: Channel, resolve, reported=Exception, may_call=None,
                 shows_objects: bool = False):
        self.channel = channel
        self._reported = reported  # what a served call may raise and still be answered
        self._may_call = may_call  # which of our objects' methods the other side may call
        self._shows_objects = shows_objects  # answers the other side's requests for a repr
        self.codec = Codec(lambda handle, service=None: Proxy(self, {"handle": handle}, service))
        self._resolve = resolve
        self.deadline: float | None = None

    def proxy(self, name: str) -> Proxy:
        """A stand-in for the other side's global called ``name``."""
        return Proxy(self, {"name": name})

    def request(self, message: dict, args=(), kwargs=None):
        """Send a call and serve the other side's calls until its answer comes."""
        message = dict(message, args=self.codec.encode(list(args)),
                       kwargs=self.codec.encode(kwargs or {}))
        self.channel.send(message, self.deadline)
        while True:
            reply = self.channel.receive(self.deadline)
            op = reply.get("op")
            if op in ("call", "repr"):
                self.serve(reply)
            elif op == "return":
                self.codec.restore_rngs(reply.get("rngs", {}))
                return self.codec.decode(reply.get("value"))
            elif op == "raise":
                self.codec.restore_rngs(reply.get("rngs", {}))
                raise decode_exception(reply.get("exc"))
            else:
                raise WireError(f"unexpected message {op!r}")

    def serve(self, message: dict) -> None:
        """Carry out one request from the other side and send back its outcome."""
        saved_rngs, self.codec.rngs = self.codec.rngs, {}
        try:
            result = self._carry_out(message)
        except WireError:
            raise
        except self._reported as exc:
            self.channel.send({"op": "raise", "exc": encode_exception(exc),
                               "rngs": self.codec.rng_states()}, self.deadline)
        else:
            self.channel.send({"op": "return", "value": self.codec.encode(result),
                               "rngs": self.codec.rng_states()}, self.deadline)
        finally:
            self.codec.rngs = saved_rngs

    def _carry_out(self, message: dict):
        target = self._resolve(message.get("target"))
        attr, op = message.get("attr"), message.get("op")
        if op == "repr":  # the learner's objects in full; the grader's by their type alone
            shown = repr(target) if self._shows_objects else f"<{type(target).__name__} object>"
            return shown[:MAX_REPR_CHARS]
        if attr is not None and (not isinstance(attr, str) or attr.startswith("_")):
            raise AttributeError(f"attribute {attr!r} is not available")
        if op != "call":
            raise WireError(f"unknown request {op!r}")
        args = self.codec.decode(message.get("args", []))
        kwargs = self.codec.decode(message.get("kwargs", {}))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise WireError("malformed call")
        if self._may_call is not None and not self._may_call(target, attr):
            raise AttributeError(f"{attr or type(target).__name__!r} may not be called from "
                                 "your code")
        function = target if attr is None else getattr(target, attr)
        return function(*args, **kwargs)
