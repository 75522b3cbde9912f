"""Fault injection on boto3 clients, through botocore's event system.

moto answers every call and never fails one. ``FaultInjector`` sits on one client and
makes chosen calls fail the way AWS fails them, so the client's own code (and botocore's
retry logic) sees exactly what it would see in production:

- ``throttle``: HTTP 400 with the service's throttling error code;
- ``server_error``: HTTP 500/503;
- ``timeout``: ``ReadTimeoutError`` after the client's read timeout, in simulated time;
  with ``delivered=True`` the service still did the work (a real timeout does not cancel
  the request, so a retry may do it twice);
- ``latency``: simulated time passes before the answer; past the read timeout, the call
  times out.

Each rule fires for the first N matching calls, at a rate (under a seed), or inside a
window of simulated time. How it works: moto serves calls from a ``before-send`` handler;
on this client we take that handler out and put ours in, which fails the call or hands
it to moto. (Returning an error from a second handler would not stop moto from also
doing the work.)
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from resilience.clock import DEFAULT_SEED, SimClock

# The error code each service really returns when it throttles a caller.
THROTTLING_CODES = {
    "dynamodb": "ProvisionedThroughputExceededException",
    "kinesis": "ProvisionedThroughputExceededException",
    "sqs": "ThrottlingException",
}
DEFAULT_THROTTLING_CODE = "ThrottlingException"
SERVER_ERRORS = {500: "InternalServerError", 503: "ServiceUnavailable"}


@dataclass
class Rule:
    """One kind of fault and when it fires."""

    kind: str  # "throttle", "server_error", "timeout" or "latency"
    operation: str | None = None  # e.g. "PutItem"; None matches every operation
    first: int | None = None  # fire on the first N matching calls only
    rate: float | None = None  # fire with this probability per matching call
    between_s: tuple[float, float] | None = None  # fire while clock time is in [start, end)
    code: str | None = None
    status: int = 400
    delivered: bool = False  # for timeouts: did the service do the work anyway?
    latency_s: float | Callable[[random.Random], float] = 0.0
    matched: int = 0

    def fires(self, operation: str, now_s: float, rng: random.Random) -> bool:
        """Does this rule apply to this call? Counts the call if it matches."""
        if self.operation not in (None, operation):
            return False
        self.matched += 1
        if self.first is not None and self.matched > self.first:
            return False
        if self.between_s is not None and not self.between_s[0] <= now_s < self.between_s[1]:
            return False
        if self.rate is not None and rng.random() >= self.rate:
            return False
        return True


@dataclass
class CallRecord:
    """What happened to one call that went through the fault layer."""

    operation: str
    outcome: str  # "ok", "throttled", "server_error", "timeout"
    at_s: float


@dataclass
class FaultInjector:
    """Injects faults into the calls of one boto3 client created inside a sandbox."""

    client: object
    clock: SimClock = field(default_factory=SimClock)
    rng: random.Random = field(default_factory=lambda: random.Random(DEFAULT_SEED))
    rules: list[Rule] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)

    def __post_init__(self):
        from moto.core.models import botocore_stubber

        self._moto = botocore_stubber
        events = self.client.meta.events
        events.unregister("before-send", botocore_stubber)
        events.register("before-send", self._before_send)
        self._service = self.client.meta.service_model.service_name
        if self.client.meta.service_model.protocol not in ("json", "rest-json"):
            raise ValueError(
                f"fault injection supports JSON-protocol services, not {self._service}")

    # -- the rules a chapter adds -------------------------------------------------------

    def throttle(self, operation=None, *, first=None, rate=None, between_s=None, code=None):
        """Fail matching calls as the service does when a caller goes over its limits."""
        code = code or THROTTLING_CODES.get(self._service, DEFAULT_THROTTLING_CODE)
        return self._add(Rule("throttle", operation, first, rate, between_s, code=code))

    def server_error(self, operation=None, *, first=None, rate=None, between_s=None,
                     status=500):
        """Fail matching calls with a 5xx, which is always worth retrying."""
        rule = Rule("server_error", operation, first, rate, between_s,
                    code=SERVER_ERRORS.get(status, "InternalFailure"), status=status)
        return self._add(rule)

    def timeout(self, operation=None, *, first=None, rate=None, between_s=None,
                delivered=False):
        """Time out matching calls after the client's read timeout (simulated)."""
        rule = Rule("timeout", operation, first, rate, between_s, delivered=delivered)
        return self._add(rule)

    def latency(self, seconds, operation=None, *, first=None, rate=None, between_s=None):
        """Delay matching calls by ``seconds`` (a number, or a function of the rng)."""
        return self._add(Rule("latency", operation, first, rate, between_s, latency_s=seconds))

    def clear(self) -> None:
        """Remove every rule: calls go straight to moto again."""
        self.rules.clear()

    def outcomes(self, operation=None) -> list[str]:
        """The outcome of each call so far, optionally for one operation."""
        return [c.outcome for c in self.calls if operation in (None, c.operation)]

    def _add(self, rule: Rule) -> Rule:
        self.rules.append(rule)
        return rule

    # -- the before-send handler --------------------------------------------------------

    def _before_send(self, request, **kwargs):
        operation = request.context.get("operation_name") or _operation_of(request)
        now_s = self.clock.now()
        for rule in self.rules:
            if rule.fires(operation, now_s, self.rng):
                return self._apply(rule, request, operation)
        return self._serve(request, operation, "ok")

    def _apply(self, rule: Rule, request, operation: str):
        read_timeout_s = self.client.meta.config.read_timeout
        if rule.kind == "latency":
            delay_s = rule.latency_s(self.rng) if callable(rule.latency_s) else rule.latency_s
            if delay_s < read_timeout_s:
                self.clock.advance(delay_s)
                return self._serve(request, operation, "ok")
            rule = Rule("timeout", delivered=True)
        if rule.kind == "timeout":
            self.clock.advance(read_timeout_s)
            if rule.delivered:
                self._moto(event_name="before-send", request=request)
            self._record(operation, "timeout")
            raise ReadTimeoutError(endpoint_url=request.url)
        self._record(operation, "throttled" if rule.kind == "throttle" else "server_error")
        return _error_response(request, rule.status, rule.code)

    def _serve(self, request, operation: str, outcome: str):
        self._record(operation, outcome)
        return self._moto(event_name="before-send", request=request)

    def _record(self, operation: str, outcome: str) -> None:
        self.calls.append(CallRecord(operation, outcome, self.clock.now()))


def _operation_of(request) -> str:
    """The API operation of a JSON-protocol request, from its X-Amz-Target header."""
    target = request.headers.get("X-Amz-Target", b"")
    if isinstance(target, bytes):
        target = target.decode()
    return target.rsplit(".", 1)[-1]


def _error_response(request, status: int, code: str) -> AWSResponse:
    """An error response shaped as a JSON-protocol AWS service sends it."""
    from moto.core.botocore_stubber import MockRawResponse

    body = json.dumps({"__type": code, "message": f"Injected fault: {code}"})
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "fault"}
    return AWSResponse(request.url, status, headers, MockRawResponse(body))
