"""Chaos as data: a fault schedule says what fails, where, when, for how long and how often.

A ``Schedule`` is a seed and a tuple of ``Fault``s, each a window of simulated time. It is
plain data: it prints as one line (``encode``) that ``Schedule.parse`` reads back, so a
schedule that broke a run can be pasted into a notebook and replayed exactly, and
Hypothesis can generate schedules (``schedules``) and shrink one that breaks an invariant
to the smallest that still does.

Two kinds of fault:

- **Call faults** happen to calls a client makes to an AWS service, and are installed on
  the course's fault layer (``resilience.faults``): ``throttle``, ``server_error``,
  ``timeout`` (no answer; the service did nothing), ``timeout_after_work`` (no answer; the
  service did the work, so a retry does it twice), ``latency`` (``amount`` seconds more),
  ``partial_batch`` (a batch call answers 200 with entries failed) and ``outage`` (the
  endpoint cannot be reached).
- **Pipeline faults** happen to the pipeline itself, and the simulation that runs it asks
  the schedule about them (``active``, ``surge_factor``): ``surge`` (clients send
  ``amount`` times as much), ``poison`` (a share of new records can never be processed),
  ``crash`` (a consumer dies after its side effects, before its checkpoint, so the batch
  is delivered again) and ``duplicate`` (a share of deliveries arrive twice).

A fault's ``target`` names what it hits: a service (``kinesis``), one of its operations
(``dynamodb.PutItem``), or a part of the pipeline (``payments``, ``consumer``, ``clients``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hypothesis import strategies as st

from resilience.faults import FaultInjector, Rule

__all__ = ["Fault", "Schedule", "install", "faults", "schedules", "KINDS", "CALL_FAULTS",
           "PIPELINE_FAULTS"]

CALL_FAULTS = ("throttle", "server_error", "timeout", "timeout_after_work", "latency",
               "partial_batch", "outage")
PIPELINE_FAULTS = ("surge", "poison", "crash", "duplicate")
KINDS = CALL_FAULTS + PIPELINE_FAULTS
# Where each pipeline fault may strike (call faults strike a service or an operation).
PIPELINE_TARGETS = {"surge": ("clients",), "poison": ("clients",), "crash": ("consumer",),
                    "duplicate": ("consumer",)}
SERVICES = ("kinesis", "dynamodb", "sqs", "payments")  # payments: the course's own API
WHOLE_ONLY = ("surge",)  # kinds a rate means nothing to: a surge hits all the traffic
NEEDS_AMOUNT = {"latency": "seconds added", "surge": "times the normal traffic"}

_FAULT_TEXT = re.compile(
    r"^(?P<kind>[a-z_]+)@(?P<target>[A-Za-z0-9.]+)\[(?P<start>[\d.]+)\+(?P<length>[\d.]+)\]"
    r"(?:x(?P<rate>[\d.]+))?(?:=(?P<amount>[\d.]+))?$")


@dataclass(frozen=True)
class Fault:
    """One fault: ``kind`` hits ``target`` from ``start_s`` for ``length_s`` seconds of
    simulated time, on a ``rate`` share of what it could hit (1: all of it), with
    ``amount`` where the kind needs one (seconds of latency, a surge's factor)."""

    kind: str
    target: str
    start_s: float
    length_s: float
    rate: float = 1.0
    amount: float = 0.0

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault {self.kind!r}: one of {', '.join(KINDS)}")
        allowed = PIPELINE_TARGETS.get(self.kind)
        service = self.target.split(".", 1)[0]
        if allowed is not None and self.target not in allowed:
            raise ValueError(f"a {self.kind} strikes {' or '.join(allowed)}, not {self.target}")
        if allowed is None and service not in SERVICES:
            raise ValueError(f"a {self.kind} strikes one of {', '.join(SERVICES)} (or one of "
                             f"its operations, as dynamodb.PutItem), not {self.target}")
        if self.start_s < 0 or self.length_s <= 0:
            raise ValueError("a fault starts at 0 s or later and lasts more than 0 s")
        if not 0 < self.rate <= 1:
            raise ValueError("a fault's rate is a share: more than 0, at most 1")
        if self.kind in WHOLE_ONLY and self.rate != 1:
            raise ValueError(f"a {self.kind} strikes all the traffic: it has no rate")
        if self.kind in NEEDS_AMOUNT and self.amount <= 0:
            raise ValueError(f"a {self.kind} needs an amount: {NEEDS_AMOUNT[self.kind]}")

    @property
    def end_s(self) -> float:
        """When the fault stops (the window is [start_s, end_s))."""
        return self.start_s + self.length_s

    @property
    def service(self) -> str:
        """The service or part of the pipeline it strikes."""
        return self.target.split(".", 1)[0]

    @property
    def operation(self) -> str | None:
        """The one operation it strikes, or None for all of the service's."""
        parts = self.target.split(".", 1)
        return parts[1] if len(parts) == 2 else None

    def covers(self, now_s: float) -> bool:
        """Is the fault on at ``now_s``?"""
        return self.start_s <= now_s < self.end_s

    def encode(self) -> str:
        """The fault as text: ``kind@target[start+length]`` then ``xRATE`` and ``=AMOUNT``
        when they are not the defaults."""
        text = f"{self.kind}@{self.target}[{self.start_s:g}+{self.length_s:g}]"
        if self.rate != 1.0:
            text += f"x{self.rate:g}"
        if self.amount:
            text += f"={self.amount:g}"
        return text


@dataclass(frozen=True)
class Schedule:
    """A seed and the faults to apply: the whole of a chaos run's input, as data."""

    faults: tuple[Fault, ...] = ()
    seed: int = 0

    def encode(self) -> str:
        """One line that ``Schedule.parse`` reads back into this same schedule."""
        return ";".join([f"seed={self.seed}", *(fault.encode() for fault in self.faults)])

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """The schedule ``encode`` wrote; a ValueError says which part it cannot read."""
        parts = [part.strip() for part in text.split(";") if part.strip()]
        if not parts or not parts[0].startswith("seed="):
            raise ValueError(f"a schedule starts with seed=N: {text!r}")
        faults = []
        for part in parts[1:]:
            match = _FAULT_TEXT.match(part)
            if match is None:
                raise ValueError(f"cannot read the fault {part!r}: write it as "
                                 "kind@target[start+length], then xRATE or =AMOUNT if needed")
            faults.append(Fault(match["kind"], match["target"], float(match["start"]),
                                float(match["length"]), float(match["rate"] or 1.0),
                                float(match["amount"] or 0.0)))
        return cls(tuple(faults), int(parts[0].removeprefix("seed=")))

    @property
    def quiet_from_s(self) -> float:
        """When the last fault ends (0 for a schedule without faults)."""
        return max((fault.end_s for fault in self.faults), default=0.0)

    def active(self, kind: str, now_s: float, target: str | None = None) -> list[Fault]:
        """The faults of ``kind`` on at ``now_s`` (striking ``target``, if given)."""
        return [fault for fault in self.faults if fault.kind == kind and fault.covers(now_s)
                and target in (None, fault.target)]

    def surge_factor(self, now_s: float) -> float:
        """How many times the normal traffic the clients send at ``now_s``."""
        factor = 1.0
        for fault in self.active("surge", now_s):
            factor *= fault.amount
        return factor

    def rng(self, part: str) -> random.Random:
        """The random numbers one part of the run draws: the same for the same seed and
        part, and independent of the other parts (a consumer that draws more does not move
        the faults a client meets)."""
        return random.Random(f"{self.seed}:{part}")


def install(schedule: Schedule, injectors: Mapping[str, FaultInjector]) -> list[Rule]:
    """Add each call fault of ``schedule`` to the fault injector of the service it strikes
    (``injectors`` by service name), and return the rules added; pipeline faults, and call
    faults on a service without an injector (the course's payment API), are left to the
    simulation, which asks the schedule itself."""
    return [_add_rule(injectors[fault.service], fault) for fault in schedule.faults
            if fault.kind in CALL_FAULTS and fault.service in injectors]


def _add_rule(injector: FaultInjector, fault: Fault) -> Rule:
    """The fault layer's rule for one call fault."""
    window = {"rate": None if fault.rate == 1.0 else fault.rate,
              "between_s": (fault.start_s, fault.end_s)}
    operation = fault.operation
    if fault.kind == "throttle":
        return injector.throttle(operation, **window)
    if fault.kind == "server_error":
        return injector.server_error(operation, **window)
    if fault.kind in ("timeout", "timeout_after_work"):
        return injector.timeout(operation, delivered=fault.kind == "timeout_after_work",
                                **window)
    if fault.kind == "latency":
        return injector.latency(fault.amount, operation, **window)
    if fault.kind == "partial_batch":
        return injector.fail_entries(operation, **window)
    return injector.unreachable(operation, **window)


# What a fault shrinks towards: a plain one, that starts 5 s in, lasts 20 s and strikes
# everything (a slow payment API: 5 s; a surge: 5 times the traffic). A shrunk counterexample
# is then a fault of this shape, or smaller than the one first found, rather than one too
# brief to strike anything.
PLAIN_START_S = 5
PLAIN_LENGTH_S = 20
LATENCIES_S = (5.0, 1.0, 2.0, 30.0)  # the first is the plain one
SURGE_FACTORS = (5.0, 3.0, 2.0)
RATES = (1.0, 0.5, 0.25, 0.1)


def faults(*, horizon_s: float, kinds: Iterable[str] = KINDS,
           targets: Mapping[str, Iterable[str]] | None = None,
           rates: tuple[float, ...] = RATES) -> st.SearchStrategy[Fault]:
    """Hypothesis faults of one of ``kinds`` inside ``horizon_s`` seconds. ``targets``
    gives, per call-fault kind, what it may strike (default: every service), and ``rates``
    the shares of calls it may strike. The simplest fault, the first tried and the one
    shrinking moves towards, is a plain one: the first kind, from ``PLAIN_START_S`` for
    ``PLAIN_LENGTH_S``, at the first rate (everything, unless ``rates`` says otherwise)."""
    kinds = tuple(kinds)
    targets = dict(targets or {})
    last_start_s = int(horizon_s) - 1

    @st.composite
    def fault(draw) -> Fault:
        kind = draw(st.sampled_from(kinds))
        where = PIPELINE_TARGETS.get(kind) or tuple(targets.get(kind, SERVICES))
        start_s = draw(_near(min(PLAIN_START_S, last_start_s), 0, last_start_s))
        length_s = draw(_near(PLAIN_LENGTH_S, 1, int(horizon_s) - start_s))
        rate = 1.0 if kind in WHOLE_ONLY else draw(st.sampled_from(rates))
        amount = (draw(st.sampled_from(LATENCIES_S)) if kind == "latency" else
                  draw(st.sampled_from(SURGE_FACTORS)) if kind == "surge" else 0.0)
        return Fault(kind, draw(st.sampled_from(where)), float(start_s), float(length_s),
                     rate, amount)

    return fault()


def _near(plain: int, low: int, high: int) -> st.SearchStrategy[int]:
    """Whole numbers from ``low`` to ``high`` that shrink towards ``plain`` (or the nearest
    of them to it)."""
    target = min(max(plain, low), high)
    return st.integers(low - target, high - target).map(lambda offset: target + offset)


def schedules(*, horizon_s: float, kinds: Iterable[str] = KINDS,
              targets: Mapping[str, Iterable[str]] | None = None, max_faults: int = 4,
              max_seed: int = 2**16) -> st.SearchStrategy[Schedule]:
    """Hypothesis schedules of up to ``max_faults`` faults (``faults``) inside ``horizon_s``
    seconds. Shrinking moves towards fewer and plainer faults, and seed 0."""
    return st.builds(lambda chosen, seed: Schedule(tuple(chosen), seed),
                     st.lists(faults(horizon_s=horizon_s, kinds=kinds, targets=targets),
                              max_size=max_faults), st.integers(0, max_seed))
