"""Checks for lab 05: an admission policy and a shed policy that keep goodput up, and
bulkheads that keep one API answering while another's dependency slows.

The policies are pure functions of the views the overload model shows them (``Request``,
``ServerView``). The checks call them on views built by hand and on views Hypothesis
generates (every decision compared with the rule the instructions state), then plug them
into a service like chapter 5's: a few workers in front of a first-in-first-out queue, and
clients that time out and retry 3 times. The hidden checks vary that service (workers, service
time, timeout) per submission, and judge every decision the policies make in its runs.
Section 5's checks do the same for bulkheads: limits per API compared with Little's law on
generated APIs, an admission policy judged on generated pools, and both run in
``resilience.models.bulkheads`` while one API's dependency slows.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from hypothesis import strategies as st

from resilience.checks import expect, varied
from resilience.checks.properties import for_all
from resilience.checks.requirements import Requirement
from resilience.clock import DEFAULT_SEED
from resilience.models import bulkheads
from resilience.models.bulkheads import Call, PoolView
from resilience.models.overload import (
    Clients,
    Load,
    Request,
    Result,
    Server,
    ServerView,
    admit_all,
    simulate,
    spike,
    steady,
)

CLIENT_RETRIES = 3
GOODPUT_SHARE = 0.85  # of what the service finishes at twice its capacity: answered in time
LOW_LOAD_REQUESTS = 150  # first tries in the half-capacity run
MEASURED_REQUESTS = 100  # requests the twice-capacity run finishes while it is measured
SETTLE_TIMEOUTS = 2  # client timeouts a run is given to settle before it is measured
SPIKE_BASE_SHARE = 0.6  # the spike story's normal load, as a share of capacity
SPIKE_FACTOR = 2.0
SPIKE_START_TIMEOUTS, SPIKE_LENGTH_TIMEOUTS = 2, 7  # client timeouts of normal load, of spike
RECOVERING_TIMEOUTS, RECOVERED_TIMEOUTS = 3, 3  # after the spike: let pass, then measure
RECOVERED_FAILURE_SHARE = 0.2  # attempts refused or timed out, once recovered: 1 in 5
LONG_RUN_TIMEOUTS = 6  # client timeouts the shed-only run lasts: hundreds of decisions


# -- the requirements -------------------------------------------------------------------------

MAX_IN_FLIGHT_TEST = "test_max_in_flight"
ADMIT_TEST = "test_admit_is_a_concurrency_limit"
SHED_TEST = "test_shed_drops_hopeless_work"
LOW_LOAD_TEST = "test_low_load_rejects_nothing"
GOODPUT_TEST = "test_goodput_at_twice_capacity"
SPIKE_TEST = "test_metastable_failure_recovers"
API_LIMITS_TEST = "test_api_limits"
ADMIT_API_TEST = "test_admit_api"
BULKHEADS_TEST = "test_bulkheads_isolate"

REQUIREMENTS = (
    Requirement("0.1", "A policy must be a pure function of these two: no global state, no "
                "clock of its own.", (SHED_TEST, GOODPUT_TEST)),
    Requirement("1.1", "The answer comes from Little's law,", (MAX_IN_FLIGHT_TEST,),
                leaves_open="How the product is computed: where it lies within float rounding "
                            "of a whole number without being one, both whole numbers are "
                            "accepted."),
    Requirement("1.2", "in whole requests (an `int`), and never one too many: one more "
                "request would not leave in time.", (MAX_IN_FLIGHT_TEST,)),
    Requirement("2.1", "It returns `True` to let a request in, and `False` to refuse it",
                (ADMIT_TEST,)),
    Requirement("2.2", "The server's capacity comes from its view, not from a constant",
                (ADMIT_TEST,)),
    Requirement("2.3", "So does the time the request's client waits: take it from the "
                "request.", (ADMIT_TEST,),
                leaves_open="At admission `server.now_s` equals `request.sent_s`, so "
                            "`request.deadline_s - server.now_s` is the same number: the checks "
                            "only show admit views of a request that is arriving."),
    Requirement("2.4", "Let a request in only while the server can answer it, and every "
                "request already in it, within **half** the client's timeout (Little's law "
                "says how many that is); refuse it otherwise.", (ADMIT_TEST, GOODPUT_TEST),
                leaves_open="The order of the arithmetic, and calling max_in_flight or not: "
                            "where float rounding can put capacity x half the timeout on "
                            "either side of a whole number, both limits are accepted."),
    Requirement("3.1", "It returns `True` to drop the request, and `False` to serve it.",
                (SHED_TEST,)),
    Requirement("3.2", "It drops a request exactly when the request cannot be finished, at "
                "`server.now_s` plus one `server.service_s`, before its `deadline_s`.",
                (SHED_TEST, GOODPUT_TEST),
                leaves_open="A request that would finish exactly at its deadline may go either "
                            "way (so may one within float rounding of it)."),
    Requirement("4.1", "At half its capacity, nothing may be refused or dropped.",
                (LOW_LOAD_TEST,)),
    Requirement("4.2", "At twice its capacity, at least 85% of the requests it finishes must "
                "be answered in time.", (GOODPUT_TEST,)),
    Requirement("4.3", "After a spike to twice its normal load, it must come back to normal",
                (SPIKE_TEST,)),
    Requirement("5.1", "Each API's limit is the requests it has in flight normally, times "
                "`headroom`", (API_LIMITS_TEST, BULKHEADS_TEST)),
    Requirement("5.2", "rounded **up** to whole workers, as an `int`", (API_LIMITS_TEST,),
                leaves_open="Where float rounding puts rate x latency x headroom within a hair "
                            "of a whole number (30 x 0.1 is 3.0000000000000004), both whole "
                            "numbers either side are accepted."),
    Requirement("5.3", "If the limits add up to more than `workers`, it raises `ValueError`",
                (API_LIMITS_TEST, BULKHEADS_TEST)),
    Requirement("5.4", "It returns `True` while the request's API holds fewer requests than "
                "its limit, and `False` once it holds its limit", (ADMIT_API_TEST,
                                                                   BULKHEADS_TEST)),
    Requirement("5.5", "A request of an API that has no limit is refused.", (ADMIT_API_TEST,)),
    Requirement("5.6", "checkout must still answer at least 90% of its requests in time.",
                (BULKHEADS_TEST,)),
)


# -- what the rules allow ---------------------------------------------------------------------


ROUNDING = Fraction(1, 10**12)  # how far (relative) float arithmetic may land from the exact


def _rounded_down(exact: Fraction, computed_exactly: bool = True) -> set[int]:
    """What rounding ``exact`` down may give, computed in floats: its floor; and where it lies
    within float rounding of a whole number, the whole number on its other side too. A whole
    ``exact`` is strict only where ``computed_exactly`` (float arithmetic cannot miss it)."""
    if exact.denominator == 1 and computed_exactly:
        return {int(exact)}
    return {math.floor(exact * (1 - ROUNDING)), math.floor(exact * (1 + ROUNDING))}


def in_flight_limits(capacity_per_s: float, latency_s: float) -> set[int]:
    """What Little's law, rounded down, may give (1.1-1.2): a product that is a whole number
    is one in floats too, so there it must be exact."""
    return _rounded_down(Fraction(capacity_per_s) * Fraction(latency_s))


def _is_power_of_two(value: float) -> bool:
    """Whether dividing by ``value`` is exact in floats."""
    return value > 0 and math.frexp(value)[0] == 0.5


def admission_limits(request: Request, server: ServerView) -> set[int]:
    """The limits 2.2-2.4 may give for this request: workers / service_s x half the timeout
    (deadline_s - sent_s), rounded down. Every order of float operations gets a whole limit
    exactly when service_s is a power of two (dividing by it is exact); otherwise (1 /
    service_s, say) it may land just below it."""
    timeout_s = request.deadline_s - request.sent_s
    return _rounded_down(Fraction(server.workers) / Fraction(server.service_s)
                         * Fraction(timeout_s) / 2, _is_power_of_two(server.service_s))


def admit_allows(request: Request, server: ServerView) -> set[bool]:
    """What ``admit`` may answer (2.4): in while the server holds fewer than the limit."""
    held = server.in_service + server.queued
    return {held < limit for limit in admission_limits(request, server)}


def shed_allows(request: Request, server: ServerView) -> set[bool]:
    """What ``shed`` may answer (3.2): drop when now_s + service_s ends after the deadline,
    keep when before; at the deadline itself, or within float rounding of it, either."""
    finish = Fraction(server.now_s) + Fraction(server.service_s)
    deadline = Fraction(request.deadline_s)
    if abs(finish - deadline) <= ROUNDING * max(abs(deadline), Fraction(1)):
        return {True, False}
    return {finish > deadline}


# -- views, written out for messages ----------------------------------------------------------


def _seconds(value: float) -> str:
    """A time, as a message gives it."""
    return f"{value:.6g} s"


def _describe_request(request: Request) -> str:
    """A request as the code that builds it: the learner can paste it to rerun a case."""
    return (f"Request(number={request.number}, attempt={request.attempt}, "
            f"sent_s={request.sent_s!r}, deadline_s={request.deadline_s!r}, "
            f"priority={request.priority})")


def _describe_server(server: ServerView) -> str:
    """A server view as the code that builds it."""
    return (f"ServerView(now_s={server.now_s!r}, in_service={server.in_service}, "
            f"queued={server.queued}, workers={server.workers}, "
            f"service_s={server.service_s!r})")


def _show_views(views: tuple[Request, ServerView]) -> str:
    """A generated (request, server) pair, for a failing property's message."""
    request, server = views
    return f"{_describe_request(request)}, {_describe_server(server)}"


def _is_bool(value: object) -> bool:
    """Whether a policy's answer is True or False itself (not merely truthy)."""
    return value is True or value is False


# -- 1. Little's law --------------------------------------------------------------------------


def check_max_in_flight(max_in_flight) -> None:
    """The visible check: Little's law on four fixed cases, one rounded down to 0."""
    cases = [((100, 0.5), 50), ((50, 0.25), 12), ((471, 3.003174), 1414), ((20, 0.01), 0)]
    for (rate, latency), expected in cases:
        got = max_in_flight(rate, latency)
        expect(got == expected and isinstance(got, int),
               f"max_in_flight({rate}, {latency}) should be {expected!r} (Little's law: "
               f"requests in flight = arrival rate x latency, rounded down to a whole "
               f"request); it returned {got!r}.")


def _rates_and_latencies():
    """Capacities and latencies: whole and fractional, products that land exactly on a whole
    number (binary fractions multiply exactly), just past one, and below one."""
    exact = st.tuples(st.integers(1, 2000).map(float),
                      st.sampled_from([0.0, 0.125, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]))
    near_half = st.tuples(st.integers(1, 500).map(float), st.integers(1, 400)).map(
        lambda pair: (pair[0], (pair[1] + 0.5) / pair[0]))
    anything = st.tuples(st.floats(0.01, 5000, allow_nan=False),
                         st.floats(0.0, 60, allow_nan=False))
    small = st.tuples(st.floats(0.01, 10), st.floats(0.0, 0.09))
    return st.one_of(exact, near_half, anything, small)


@varied
def check_max_in_flight_everywhere(max_in_flight, *, seed: int) -> None:
    """Little's law on generated capacities and latencies: the product, rounded down, as an
    ``int`` (exact products included, where rounding up or off by one shows)."""
    def prove(pair: tuple[float, float]) -> None:
        rate, latency = pair
        got = max_in_flight(rate, latency)
        allowed = in_flight_limits(rate, latency)
        expect(type(got) is int,
               f"max_in_flight({rate!r}, {latency!r}) returned {got!r}, a "
               f"{type(got).__name__}: it should return an int, a whole number of requests "
               "(math.floor gives one).")
        expect(got in allowed,
               f"max_in_flight({rate!r}, {latency!r}) should be "
               f"{max(allowed) if got > max(allowed) else min(allowed)} (Little's law: "
               f"{rate!r} x {latency!r} = {rate * latency!r} requests, rounded down); it "
               f"returned {got!r}. Rounded up or to the nearest, the limit lets in a request "
               "that cannot leave in time.")

    for_all(_rates_and_latencies(), prove, seed=seed)


# -- 2. admission -----------------------------------------------------------------------------


def _request(sent_s: float = 10.0, timeout_s: float = 1.0) -> Request:
    """A first try of the visible checks' request."""
    return Request(number=1, attempt=0, sent_s=sent_s, deadline_s=sent_s + timeout_s)


def _server(now_s: float = 10.0, in_service: int = 0, queued: int = 0,
            workers: int = 5, service_s: float = 0.1) -> ServerView:
    """A view of the visible checks' server (the lab's example: 5 workers at 100 ms)."""
    return ServerView(now_s, in_service, queued, workers, service_s)


def check_admit_is_a_concurrency_limit(admit) -> None:
    """The visible check: admit around the limit of the lab's example service, then with a
    longer timeout and more workers."""
    limit = 25  # 50 requests a second x half of a 1 s timeout
    for in_service, queued, expected in ((0, 0, True), (5, 19, True), (5, 20, False),
                                         (5, 60, False), (3, 0, True)):
        got = admit(_request(), _server(in_service=in_service, queued=queued))
        expect(got is expected,
               f"With {in_service} requests in service and {queued} queued (limit {limit}: "
               f"50 requests/s x half of the 1 s timeout), admit should return {expected}; "
               f"it returned {got!r}.")
    got = admit(_request(timeout_s=2.0), _server(in_service=5, queued=40))
    expect(got is True,
           "A request whose client waits 2 s allows 50 in flight (50/s x 1 s): with 45 in the "
           f"server it should be admitted; admit returned {got!r}. Take the timeout from "
           "the request (deadline_s - sent_s), not from a constant.")
    got = admit(_request(), _server(in_service=10, queued=30, workers=10, service_s=0.1))
    expect(got is True,
           "A server with 10 workers at 100 ms can take 100 requests a second, so 50 in "
           f"flight: with 40 in it, admit should return True; it returned {got!r}. Compute "
           "the capacity from the server view: workers / service_s.")


SERVICE_TIMES_S = st.one_of(st.sampled_from([0.0625, 0.125, 0.25, 0.5, 1.0]),
                            st.floats(0.005, 2.0).map(lambda s: round(s, 3)))
TIMEOUTS_S = st.one_of(st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 4.0, 10.0]),
                       st.floats(0.05, 30.0).map(lambda s: round(s, 3)))
INSTANTS_S = st.one_of(st.sampled_from([0.0, 8.0, 1024.0]),
                       st.floats(0.0, 100_000.0).map(lambda s: round(s, 4)))
# Requests in the server besides the two either side of the limit: a few more or fewer, or
# any number (None)
HELD_OFFSETS = st.sampled_from([-2, 1, 2, None])


@st.composite
def _requests(draw, sent_s: float, timeout_s: float) -> Request:
    """An attempt of any client request sent at ``sent_s``: which attempt, which number and
    which priority are no business of either policy."""
    return Request(draw(st.integers(1, 1_000_000)), draw(st.integers(0, CLIENT_RETRIES)),
                   sent_s, sent_s + timeout_s, draw(st.integers(0, 2)))


@st.composite
def _admission_views(draw) -> tuple[Request, tuple[ServerView, ...]]:
    """A request arriving, and three states of the server it arrives at: holding one request
    fewer than its limit, exactly its limit (where an off-by-one limit shows), and a few more,
    fewer or any number; each time some of them in service and the rest queued."""
    workers, service_s = draw(st.integers(1, 32)), draw(SERVICE_TIMES_S)
    sent_s = draw(INSTANTS_S)
    request = draw(_requests(sent_s, draw(TIMEOUTS_S)))
    limit = min(admission_limits(request, ServerView(sent_s, 0, 0, workers, service_s)))
    offset = draw(HELD_OFFSETS)
    other = draw(st.integers(0, 2 * limit + 8)) if offset is None else limit + offset
    servers = []
    for held in (limit - 1, limit, other):
        held = max(0, held)
        in_service = draw(st.integers(0, min(workers, held)))
        servers.append(ServerView(sent_s, in_service, held - in_service, workers, service_s))
    return request, tuple(servers)


def _show_arrival(views: tuple[Request, tuple[ServerView, ...]]) -> str:
    """A generated request and the server states it arrives at, for a failing message."""
    request, servers = views
    return f"{_describe_request(request)} at {', '.join(map(_describe_server, servers))}"


def _admit_verdict(request: Request, server: ServerView, got: object) -> str:
    """Why ``admit``'s answer ``got`` breaks 2.1-2.4 ("" if it does not)."""
    if not _is_bool(got):
        return (f"admit returned {got!r}: it should return True (let the request in) or "
                "False (refuse it).")
    allowed = admit_allows(request, server)
    if got in allowed:
        return ""
    limits = admission_limits(request, server)
    limit = max(limits) if got else min(limits)  # the one its answer breaks
    capacity_per_s = server.workers / server.service_s
    timeout_s = request.deadline_s - request.sent_s
    held = server.in_service + server.queued
    return (f"With {server.in_service} in service and {server.queued} queued ({held} in all), "
            f"admit should return {not got}; it returned {got}. The limit is "
            f"max_in_flight({server.workers} workers / {server.service_s} s = "
            f"{capacity_per_s:.6g} requests/s, half of the {timeout_s:.6g} s the client waits)"
            f" = {limit}, and a request gets in only while the server holds fewer than that.")


@varied
def check_admit_everywhere(admit, *, seed: int) -> None:
    """admit on generated servers and requests, around the limit and far from it: True
    exactly while in_service + queued is below max_in_flight(workers / service_s, timeout
    / 2), whatever the attempt, number or priority."""
    def prove(views: tuple[Request, tuple[ServerView, ...]]) -> None:
        request, servers = views
        for server in servers:
            verdict = _admit_verdict(request, server, admit(request, server))
            expect(not verdict, f"{verdict} Compute the limit from the views each time: the "
                   "server's workers and service time, the request's own timeout.")

    for_all(_admission_views(), prove, seed=seed, show=_show_arrival)


# -- 3. shedding ------------------------------------------------------------------------------


def check_shed_drops_hopeless_work(shed) -> None:
    """The visible check: shed for a request taken from the queue at four moments."""
    for now_s, expected, why in (
            (10.0, False, "a request that just arrived"),
            (10.85, False, "a request with 0.15 s left, which 100 ms of work fits in"),
            (10.95, True, "a request with 0.05 s left: 100 ms of work cannot fit"),
            (11.5, True, "a request whose client gave up 0.5 s ago")):
        got = shed(_request(sent_s=10.0, timeout_s=1.0), _server(now_s=now_s))
        expect(got is expected,
               f"shed should return {expected} for {why} (sent at 10.0 s, deadline 11.0 s, "
               f"now {now_s} s, service 0.1 s); it returned {got!r}.")


# When a request is taken from the queue, from the last moment its work can start: exactly
# then, a hair before or after, or well before or after (as a share of the timeout)
START_OFFSETS = st.one_of(st.sampled_from([0.0, -1e-6, 1e-6, -1e-3, 1e-3]),
                          st.floats(-1.0, 1.0))


@st.composite
def _shed_views(draw) -> tuple[Request, ServerView]:
    """A request taken from the queue some time after it was sent: with time to spare,
    hopeless, past its deadline, or within a hair of the last moment its work can start."""
    service_s, timeout_s, sent_s = draw(SERVICE_TIMES_S), draw(TIMEOUTS_S), draw(INSTANTS_S)
    request = draw(_requests(sent_s, timeout_s))
    offset = draw(START_OFFSETS)
    offset_s = offset * timeout_s if abs(offset) > 1e-3 else offset
    now_s = max(sent_s, request.deadline_s - service_s + offset_s)
    workers = draw(st.integers(1, 32))
    server = ServerView(now_s, draw(st.integers(0, workers - 1)), draw(st.integers(0, 200)),
                        workers, service_s)
    return request, server


def _shed_verdict(request: Request, server: ServerView, got: object) -> str:
    """Why ``shed``'s answer ``got`` breaks 3.1-3.2 ("" if it does not)."""
    if not _is_bool(got):
        return (f"shed returned {got!r}: it should return True (drop the request) or False "
                "(serve it).")
    if got in shed_allows(request, server):
        return ""
    finish_s = server.now_s + server.service_s
    fits = "cannot finish before" if not got else "can still finish before"
    return (f"shed should return {not got} for a request with deadline {request.deadline_s!r} "
            f"s taken from the queue at {server.now_s!r} s: its work ({server.service_s!r} s) "
            f"would end at {finish_s:.6g} s, so it {fits} its deadline; shed returned {got}.")


@varied
def check_shed_everywhere(shed, *, seed: int) -> None:
    """shed on generated requests and servers: True exactly when now_s + service_s is past
    the deadline, whatever the queue, the attempt or the priority."""
    def prove(views: tuple[Request, ServerView]) -> None:
        request, server = views
        verdict = _shed_verdict(request, server, shed(request, server))
        expect(not verdict, f"{verdict} Compare the time the work would end, server.now_s + "
               "server.service_s, with the request's deadline_s: nothing else decides.")

    for_all(_shed_views(), prove, seed=seed, show=_show_views)


# -- the simulated service --------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    """One simulated service of a hidden test: its workers, the time one request takes,
    and how long its clients wait (they retry ``CLIENT_RETRIES`` times)."""

    workers: int
    service_s: float
    timeout_s: float

    @property
    def capacity_per_s(self) -> float:
        """Requests a second, all workers busy."""
        return self.workers / self.service_s

    def __str__(self) -> str:
        return (f"{self.workers} workers at {self.service_s * 1000:.0f} ms a request "
                f"({self.capacity_per_s:.1f} requests/s), clients that wait "
                f"{self.timeout_s:g} s and retry {CLIENT_RETRIES} times")


def draw_service(rng: random.Random, workers: tuple[int, int]) -> Service:
    """A service like chapter 5's: a few workers, 100 to 250 ms a request, clients that
    wait 10 to 14 requests' service time (so its limit is never tiny)."""
    service_s = round(rng.uniform(0.1, 0.25), 3)
    return Service(rng.randint(*workers), service_s,
                   round(service_s * rng.uniform(10, 14), 2))


class Referee:
    """The learner's policies in a run, passed through unchanged: it counts their decisions
    and remembers the first one that breaks the rules, with the views it was made on."""

    def __init__(self, admit, shed):
        self._admit, self._shed = admit, shed
        self.decisions = 0
        self.broken = 0
        self.first_broken = ""

    def _judge(self, verdict: str, request: Request, server: ServerView) -> None:
        self.decisions += 1
        if verdict:
            self.broken += 1
            if not self.first_broken:
                self.first_broken = (f"Decision {self.decisions} of the run, at "
                                     f"{_seconds(server.now_s)}: {verdict}")

    def admit(self, request: Request, server: ServerView) -> bool:
        got = self._admit(request, server)
        self._judge(_admit_verdict(request, server, got), request, server)
        return got

    def shed(self, request: Request, server: ServerView) -> bool:
        got = self._shed(request, server)
        self._judge(_shed_verdict(request, server, got), request, server)
        return got

    def broken_rules(self, run: str) -> str:
        """What went wrong with the decisions in ``run`` ("" if none broke the rules)."""
        if not self.broken:
            return ""
        return (f"{run}, {self.broken} of the {self.decisions} decisions your policies made "
                f"broke the rules. The first: {self.first_broken} A policy must be a pure "
                "function of the two views: state kept between calls (a count, a budget, a "
                "clock) drifts over a long run, and every decision must follow the rule.")

    def expect_every_decision_kept_the_rules(self, run: str) -> None:
        broken = self.broken_rules(run)
        expect(not broken, broken)


def _run(service: Service, load: Load, admit, shed, seed: int) -> Result:
    """Run ``service`` under ``load`` and these policies."""
    return simulate(load, clients=Clients(timeout_s=service.timeout_s, retries=CLIENT_RETRIES),
                    server=Server(workers=service.workers, service_s=service.service_s),
                    admit=admit, shed=shed, seed=seed)


def _window(series: tuple[int, ...], start_s: float) -> int:
    """The count of ``series`` from the whole second at or after ``start_s`` to the end."""
    return sum(series[math.ceil(start_s):])


# -- 3. shedding over a long run --------------------------------------------------------------


@varied
def check_shed_over_a_long_run(shed, *, seed: int) -> None:
    """The service at twice its capacity with no admission control, so that shed alone
    keeps it answering: hundreds of decisions, each by the rule of 3.2."""
    service = draw_service(random.Random(seed), workers=(2, 3))
    load = steady(2 * service.capacity_per_s, LONG_RUN_TIMEOUTS * service.timeout_s)
    referee = Referee(admit_all, shed)
    _run(service, load, admit_all, referee.shed, seed)
    referee.expect_every_decision_kept_the_rules(
        f"Over a run of {load.duration_s:.3g} s at twice the capacity of a service with "
        f"{service}, every request let in")


# -- 4. the service under load ----------------------------------------------------------------


@varied
def check_low_load_rejects_nothing(admit, shed, *, seed: int) -> None:
    """At half its capacity the service refuses nothing and drops nothing."""
    service = draw_service(random.Random(seed), workers=(4, 6))
    rate_per_s = 0.5 * service.capacity_per_s
    result = _run(service, steady(rate_per_s, LOW_LOAD_REQUESTS / rate_per_s), admit, shed,
                  seed)
    refused, dropped = sum(result.rejected), sum(result.shed)
    expect(refused == 0,
           f"At half its capacity ({service}), the service refused {refused} requests. A "
           "limit that bites at low load turns bursts that a queue would absorb into "
           "errors: leave room for a queue.")
    expect(dropped == 0,
           f"At half its capacity ({service}), the service dropped {dropped} requests from "
           "its queue. Drop only what can no longer be answered before its deadline: at low "
           "load, nothing waits that long.")


@varied
def check_goodput_at_twice_capacity(admit, shed, *, seed: int) -> None:
    """At twice its capacity the service answers in time at least 85% of what it finishes,
    and every decision of both policies over the run follows the rules."""
    service = draw_service(random.Random(seed), workers=(2, 3))
    settled_s = SETTLE_TIMEOUTS * service.timeout_s
    duration_s = math.ceil(settled_s) + math.ceil(MEASURED_REQUESTS / service.capacity_per_s)
    referee = Referee(admit, shed)
    result = _run(service, steady(2 * service.capacity_per_s, duration_s), referee.admit,
                  referee.shed, seed)
    finished, good = _window(result.completed, settled_s), _window(result.good, settled_s)
    late = sum(result.completed) - sum(result.good)
    run = f"At twice its capacity ({service})"
    if not finished:
        goodput = f"{run}, once settled the service finished no request at all."
    elif good < GOODPUT_SHARE * finished:
        goodput = (f"{run}, once settled the service finished {finished} requests, and only "
                   f"{good} of them in time for a client still waiting (the goal: "
                   f"{GOODPUT_SHARE:.0%}). In the whole run it finished {late} requests for "
                   "clients that had given up: orders written to DynamoDB for nothing. Refuse "
                   "what cannot be answered in time, early, and drop what has waited too long.")
    else:
        goodput = ""
    broken = referee.broken_rules("In that run" if goodput else run)
    expect(not goodput and not broken, " ".join(filter(None, [goodput, broken])))


@varied
def check_metastable_failure_recovers(admit, shed, *, seed: int) -> None:
    """After a spike to twice its normal 60% load, long enough to fill an unbounded queue
    past the clients' timeout, the service comes back: at most 1 attempt in 5 is refused or
    times out (a service stuck in a metastable failure fails nearly all)."""
    service = draw_service(random.Random(seed), workers=(4, 5))
    timeout_s = service.timeout_s
    start_s = SPIKE_START_TIMEOUTS * timeout_s
    end_s = start_s + SPIKE_LENGTH_TIMEOUTS * timeout_s
    measured_from_s = end_s + RECOVERING_TIMEOUTS * timeout_s
    load = spike(SPIKE_BASE_SHARE * service.capacity_per_s, SPIKE_FACTOR, start_s,
                 end_s - start_s, measured_from_s + RECOVERED_TIMEOUTS * timeout_s)
    result = _run(service, load, admit, shed, seed)
    attempts = _window(result.offered, measured_from_s)
    failed = _window(result.rejected, measured_from_s) + _window(result.timed_out,
                                                                 measured_from_s)
    expect(attempts and failed <= RECOVERED_FAILURE_SHARE * attempts,
           f"A service with {service}, at 60% of its capacity, got twice that load for "
           f"{end_s - start_s:.3g} s. {measured_from_s - end_s:.3g} s after the spike, it "
           f"still refused or timed out {failed} of the {attempts} attempts that reached it "
           f"(normal: at most 1 in {1 / RECOVERED_FAILURE_SHARE:.0f}). Retries of requests "
           "that timed out in a long queue keep it overloaded after the trigger has gone: "
           "bound the queue and drop work past its deadline.")


# -- 5. bulkheads -----------------------------------------------------------------------------
#
# Two APIs share a pool of workers (``resilience.models.bulkheads``); the learner sizes a
# limit per API with Little's law (``api_limits``) and writes the admission policy that
# keeps each API within its own (``admit_api``).

BULKHEAD_HEADROOM = 2.0  # the headroom the simulated service's limits are sized with
SLOWDOWN_FACTOR = 20  # search's dependency, once slow: 20 times its normal latency
HEALTHY_GOODPUT_SHARE = 0.9  # of checkout's requests, answered in time while search is slow
# Each run asks admit_api about every arrival, across the grader's process boundary: short
# runs keep grading fast, and the slow dependency fills search's bulkhead within 0.1 s.
BULKHEAD_SLOW_FROM_S = 2.0  # search slows 2 s in,
BULKHEAD_SETTLED_S = 3.0  # checkout is measured from 3 s,
BULKHEAD_RUN_S = 7.0  # to the end of the arrivals
API_NAMES = ("checkout", "search", "login", "reports", "images")
MAX_NUMERATOR_BITS = 53  # a float product of binary fractions this small is exact


def _is_short_binary(value: float) -> bool:
    """Whether ``value`` is a binary fraction with a denominator of at most 1024."""
    return Fraction(value).denominator <= 1024


def _product_is_exact(*values: float) -> bool:
    """Whether float multiplication of ``values``, in any order, gives their exact product:
    binary fractions whose numerators fit in a float's 53 bits together."""
    fractions = [Fraction(value) for value in values]
    return (all(_is_short_binary(value) for value in values)
            and sum(abs(f.numerator).bit_length() for f in fractions) <= MAX_NUMERATOR_BITS)


def _rounded_up(exact: Fraction, computed_exactly: bool) -> set[int]:
    """What rounding ``exact`` up may give, computed in floats: its ceiling; and where it lies
    within float rounding of a whole number, the whole number on its other side too."""
    if exact.denominator == 1 and computed_exactly:
        return {int(exact)}
    return {math.ceil(exact * (1 - ROUNDING)), math.ceil(exact * (1 + ROUNDING))}


def bulkhead_limits(rate_per_s: float, latency_s: float, headroom: float) -> set[int]:
    """The limits 5.1-5.2 may give one API: rate x latency x headroom, rounded up."""
    return _rounded_up(Fraction(rate_per_s) * Fraction(latency_s) * Fraction(headroom),
                       _product_is_exact(rate_per_s, latency_s, headroom))


def _describe_sizing(rates: dict, latencies: dict, workers: int, headroom: float) -> str:
    """An api_limits call as the code that makes it: the learner can paste it."""
    return f"api_limits({rates!r}, {latencies!r}, {workers!r}, {headroom!r})"


def _api_limits_verdict(rates: dict, latencies: dict, workers: int, headroom: float,
                        api_limits) -> str:
    """Why ``api_limits`` breaks 5.1-5.3 on these inputs ("" if it does not)."""
    call = _describe_sizing(rates, latencies, workers, headroom)
    allowed = {api: bulkhead_limits(rates[api], latencies[api], headroom) for api in rates}
    fewest, most = sum(map(min, allowed.values())), sum(map(max, allowed.values()))
    try:
        got = api_limits(dict(rates), dict(latencies), workers, headroom)
    except ValueError:
        if workers == most:
            return (f"{call} raised ValueError, but the limits ({most} workers in all) fit in "
                    f"the pool of {workers} exactly. Refuse only limits that add up to more "
                    "than the pool: ones that fit exactly isolate as well as any.")
        if workers > most:
            return (f"{call} raised ValueError, but the limits fit in the pool of {workers} "
                    f"with room to spare: {most} workers in all. Check how each limit is "
                    "computed: Little's law, rate x latency, gives the requests an API has in "
                    "flight; times the headroom, rounded up.")
        return ""
    if workers < fewest:
        return (f"{call} returned {got!r}, but the limits add up to at least {fewest}, more "
                f"than the {workers} workers: it should raise ValueError. Limits that do not "
                "fit let one API take workers another was promised, so they isolate nothing.")
    if not isinstance(got, dict) or set(got) != set(rates):
        return (f"{call} returned {got!r}: it should return a dict with a limit for each API "
                f"of rates_per_s ({sorted(rates)}).")
    for api, limit in got.items():
        if type(limit) is not int:
            return (f"{call} gave {api} the limit {limit!r}, a {type(limit).__name__}: a limit "
                    "is a whole number of workers, an int (math.ceil gives one).")
        if limit not in allowed[api]:
            expected = max(allowed[api]) if limit > max(allowed[api]) else min(allowed[api])
            return (f"{call} gave {api} the limit {limit}; it should be {expected}: Little's "
                    f"law gives {rates[api]!r}/s x {latencies[api]!r} s = "
                    f"{rates[api] * latencies[api]:.6g} requests in flight, times the headroom "
                    f"{headroom!r}, rounded up. Rounded down or without the headroom, the limit "
                    "refuses the API's own normal bursts.")
    return ""


def check_api_limits(api_limits) -> None:
    """The visible check: the chapter's two APIs, a limit that rounds up, and pools too
    small, just big enough and bigger."""
    for rates, latencies, workers, headroom, expected in (
            ({"checkout": 100, "search": 100}, {"checkout": 0.05, "search": 0.05}, 20, 2.0,
             {"checkout": 10, "search": 10}),
            ({"checkout": 100, "search": 40}, {"checkout": 0.0625, "search": 0.25}, 30, 1.5,
             {"checkout": 10, "search": 15}),
            ({"login": 10}, {"login": 0.125}, 4, 1.0, {"login": 2}),
            ({"checkout": 100, "search": 40}, {"checkout": 0.0625, "search": 0.25}, 24, 1.5,
             ValueError)):
        verdict = _api_limits_verdict(rates, latencies, workers, headroom, api_limits)
        expect(not verdict, verdict + (
            f" (Expected {expected!r}.)" if isinstance(expected, dict) else ""))


@st.composite
def _sizings(draw) -> tuple[dict, dict, int, float]:
    """APIs with rates and normal latencies, a headroom and a pool: binary fractions whose
    products are exact (where a limit that lands on a whole number must not round past it,
    and a pool that fits exactly must be accepted), or any numbers; a pool one worker too
    small, just big enough, roomier, or far bigger than the limits need."""
    apis = draw(st.lists(st.sampled_from(API_NAMES), min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        rates = {api: draw(st.integers(1, 8000)) / 4 for api in apis}
        latencies = {api: draw(st.integers(1, 320)) / 64 for api in apis}
        headroom = draw(st.sampled_from([1.0, 1.25, 1.5, 2.0, 2.5, 3.0]))
    else:
        rates = {api: round(draw(st.floats(0.1, 5000.0)), 3) for api in apis}
        latencies = {api: round(draw(st.floats(0.001, 5.0)), 4) for api in apis}
        headroom = round(draw(st.floats(1.0, 4.0)), 2)
    limits = [bulkhead_limits(rates[api], latencies[api], headroom) for api in apis]
    fewest, most = sum(map(min, limits)), sum(map(max, limits))
    workers = draw(st.sampled_from([max(1, fewest - 1), most, most + 3, 10 * most + 100]))
    return rates, latencies, workers, headroom


@varied
def check_api_limits_everywhere(api_limits, *, seed: int) -> None:
    """api_limits on generated APIs, rates, latencies, headrooms and pools: each limit
    Little's law x headroom rounded up, an int, and ValueError exactly when they cannot fit."""
    def prove(sizing: tuple[dict, dict, int, float]) -> None:
        verdict = _api_limits_verdict(*sizing, api_limits)
        expect(not verdict, verdict)

    for_all(_sizings(), prove, seed=seed, show=lambda sizing: _describe_sizing(*sizing))


def _describe_call(call: Call) -> str:
    """A request of the bulkhead service, as the code that builds it."""
    return (f"Call(api={call.api!r}, number={call.number}, sent_s={call.sent_s!r}, "
            f"deadline_s={call.deadline_s!r})")


def _describe_pool(pool: PoolView) -> str:
    """A view of the bulkhead service's pool, as the code that builds it."""
    return (f"PoolView(now_s={pool.now_s!r}, workers={pool.workers}, held={pool.held!r}, "
            f"queued={pool.queued})")


def _admit_api_verdict(call: Call, pool: PoolView, limits: dict, got: object) -> str:
    """Why ``admit_api``'s answer ``got`` breaks 5.4-5.5 ("" if it does not)."""
    if not _is_bool(got):
        return (f"admit_api returned {got!r}: it should return True (let the request in) or "
                "False (refuse it).")
    held = pool.held.get(call.api, 0)
    if call.api not in limits:
        return "" if got is False else (
            f"admit_api let in a request of {call.api!r}, an API with no limit in {limits!r}: "
            "it should refuse it. An API without a bulkhead has no share of the pool, and "
            "letting it in takes workers the other APIs were promised.")
    expected = held < limits[call.api]
    if got is expected:
        return ""
    others = sum(pool.held.values()) - held
    return (f"With {call.api!r} holding {held} requests (its limit: {limits[call.api]}) and the "
            f"other APIs {others}, admit_api should return {expected}; it returned {got}. Each "
            "API is judged against its own limit, by what that API alone holds, so a slow API "
            "fills only its own share.")


def _ask_admit_api(admit_api, call: Call, pool: PoolView, limits: dict) -> object:
    """``admit_api``'s answer; a KeyError for an API without a limit, explained (5.5)."""
    try:
        return admit_api(call, pool, dict(limits))
    except KeyError:
        if call.api in limits:
            raise
        raise AssertionError(
            f"admit_api raised KeyError for a request of {call.api!r}, an API with no limit in "
            f"{limits!r}: it should refuse it (return False). An API without a bulkhead has no "
            "share of the pool.") from None


def check_admit_api(admit_api) -> None:
    """The visible check: the chapter's limits, 10 each, then unequal ones, and a request of
    an API without a limit."""
    even, uneven = {"checkout": 10, "search": 10}, {"checkout": 12, "search": 4}
    for limits, api, held in ((even, "checkout", {"checkout": 3, "search": 10}),
                              (even, "search", {"checkout": 3, "search": 10}),
                              (even, "search", {"checkout": 0, "search": 9}),
                              (even, "checkout", {"checkout": 10, "search": 0}),
                              (even, "checkout", {"checkout": 9, "search": 10}),
                              (uneven, "search", {"checkout": 2, "search": 4}),
                              (uneven, "checkout", {"checkout": 11, "search": 4}),
                              (even, "reports", {"checkout": 0, "search": 0, "reports": 0})):
        call = Call(api, 1, 10.0, 11.0)
        pool = PoolView(10.0, 20, held, 0)
        got = _ask_admit_api(admit_api, call, pool, limits)
        verdict = _admit_api_verdict(call, pool, limits, got)
        expect(not verdict, f"{verdict} (limits {limits!r}, pool {_describe_pool(pool)})")


@st.composite
def _bulkhead_arrivals(draw) -> tuple[Call, PoolView, dict]:
    """A request arriving at a pool shared by a few APIs, some with a limit and some
    without; what each API holds lies around its limit (one under, at it, one over) or
    anywhere."""
    apis = draw(st.lists(st.sampled_from(API_NAMES), min_size=1, max_size=4, unique=True))
    limited = draw(st.lists(st.sampled_from(apis), unique=True, min_size=1))
    if draw(st.integers(0, 4)) == 0 and len(limited) > 1:  # now and then an API without
        limited = limited[1:]
    limits = {api: draw(st.integers(0, 40)) for api in limited}
    held = {api: max(0, (limits.get(api, 0) + draw(st.sampled_from([-1, 0, 1])))
                     if draw(st.booleans()) else draw(st.integers(0, 60))) for api in apis}
    now_s = draw(INSTANTS_S)
    call = Call(draw(st.sampled_from(apis)), draw(st.integers(1, 1_000_000)), now_s,
                now_s + draw(TIMEOUTS_S))
    workers = max(1, sum(limits.values()) + draw(st.integers(0, 8)))
    return call, PoolView(now_s, workers, held, draw(st.integers(0, 50))), limits


@varied
def check_admit_api_everywhere(admit_api, *, seed: int) -> None:
    """admit_api on generated pools and limits: True exactly while the request's own API holds
    fewer than its own limit, False for an API without one, whatever the others hold."""
    def prove(arrival: tuple[Call, PoolView, dict]) -> None:
        call, pool, limits = arrival
        verdict = _admit_api_verdict(call, pool, limits,
                                     _ask_admit_api(admit_api, call, pool, limits))
        expect(not verdict, verdict)

    def show(arrival: tuple[Call, PoolView, dict]) -> str:
        call, pool, limits = arrival
        return f"admit_api({_describe_call(call)}, {_describe_pool(pool)}, {limits!r})"

    for_all(_bulkhead_arrivals(), prove, seed=seed, show=show)


class BulkheadReferee:
    """The learner's ``admit_api`` in a run, with ``limits``: it counts the decisions and
    remembers the first that breaks 5.4-5.5, with the views it was made on."""

    def __init__(self, admit_api, limits: dict):
        self._admit_api, self.limits = admit_api, limits
        self.decisions = self.broken = 0
        self.first_broken = ""

    def admit(self, call: Call, pool: PoolView) -> bool:
        got = _ask_admit_api(self._admit_api, call, pool, self.limits)
        self.decisions += 1
        verdict = _admit_api_verdict(call, pool, self.limits, got)
        if verdict:
            self.broken += 1
            self.first_broken = self.first_broken or (
                f"decision {self.decisions}, at {_seconds(pool.now_s)}: {verdict}")
        return bool(got)


@dataclass(frozen=True)
class SharedPool:
    """One hidden test's service: two APIs, their normal rates and latencies, and a pool
    sized to fit their bulkheads (sometimes exactly)."""

    rates_per_s: dict
    latencies_s: dict
    workers: int

    def __str__(self) -> str:
        apis = ", ".join(f"{api} {self.rates_per_s[api]:g}/s at "
                         f"{self.latencies_s[api] * 1000:.0f} ms" for api in self.rates_per_s)
        return f"{self.workers} workers shared by {apis}"


def draw_shared_pool(rng: random.Random) -> SharedPool:
    """Checkout and search, 60 to 120 requests a second each, dependencies of 47 to 78 ms
    (binary fractions of a second: their limits are exact), and a pool their bulkheads fit
    in, exactly or with a few workers to spare."""
    rates = {api: float(rng.randint(60, 120)) for api in (bulkheads.CHECKOUT, bulkheads.SEARCH)}
    latencies = {api: rng.randint(3, 5) / 64 for api in rates}
    needed = sum(bulkheads.little_limit(rates[api], latencies[api], BULKHEAD_HEADROOM)
                 for api in rates)
    return SharedPool(rates, latencies, needed + rng.choice([0, 0, 1, 3]))


def _run_bulkheads(pool: SharedPool, admit, seed: int, duration_s: float,
                   slow_from_s: float) -> bulkheads.PoolRun:
    """Run ``pool`` under ``admit`` while search's dependency slows ``SLOWDOWN_FACTOR`` times
    from ``slow_from_s``."""
    slow = bulkheads.Slowdown(bulkheads.SEARCH,
                              SLOWDOWN_FACTOR * pool.latencies_s[bulkheads.SEARCH], slow_from_s)
    return bulkheads.simulate_pool(admit, workers=pool.workers, rates_per_s=pool.rates_per_s,
                                   latencies_s=pool.latencies_s, slowdown=slow,
                                   duration_s=duration_s, seed=seed)


def _expect_isolation(api_limits, admit_api, pool: SharedPool, seed: int,
                      duration_s: float, slow_from_s: float, settled_s: float) -> None:
    """Size ``pool``'s bulkheads with ``api_limits``, run it with ``admit_api`` while search
    slows, and expect checkout to keep answering, every decision by the rules."""
    setting = _describe_sizing(pool.rates_per_s, pool.latencies_s, pool.workers,
                               BULKHEAD_HEADROOM)
    try:
        limits = api_limits(dict(pool.rates_per_s), dict(pool.latencies_s), pool.workers,
                            BULKHEAD_HEADROOM)
    except ValueError:
        raise AssertionError(
            f"{setting} raised ValueError for a pool the limits fit in ({pool}), so the "
            "service could not start.") from None
    referee = BulkheadReferee(admit_api, dict(limits))
    run = _run_bulkheads(pool, referee.admit, seed, duration_s, slow_from_s)
    share = run.goodput_share(bulkheads.CHECKOUT, settled_s)
    refused = run.share("refused", bulkheads.CHECKOUT, settled_s)
    search_held = run.mean_busy(bulkheads.SEARCH, settled_s)
    story = (f"A service with {pool}, its limits from {setting} ({limits!r}): from "
             f"{_seconds(slow_from_s)}, search's dependency took {SLOWDOWN_FACTOR} times as "
             f"long.")
    if share >= HEALTHY_GOODPUT_SHARE:
        goodput = ""
    else:
        cause = (" Checkout was refused though search's slowness is none of its business: "
                 "judge each request by what its own API holds, against its own limit."
                 if refused > 1 - HEALTHY_GOODPUT_SHARE else
                 " Search's slow requests took the workers checkout needed, and checkout's "
                 "requests waited for one until their clients gave up: keep each API within "
                 "its own limit, counting only what that API holds.")
        goodput = (f"{story} Checkout then answered only {share:.0%} of its requests in time "
                   f"(the goal: {HEALTHY_GOODPUT_SHARE:.0%}); {refused:.0%} were refused. "
                   f"Search held {search_held:.1f} of the {pool.workers} workers on average."
                   + cause)
    broken = (f"{'In that run' if goodput else story} {referee.broken} of the "
              f"{referee.decisions} decisions of admit_api broke the rules. The first: "
              f"{referee.first_broken} Every decision must follow the rule; state kept between "
              "calls drifts over a long run." if referee.broken else "")
    expect(not goodput and not broken, " ".join(filter(None, [goodput, broken])))


def check_bulkheads_isolate(api_limits, admit_api) -> None:
    """The visible check: the chapter's service (20 workers; checkout and search, 100
    requests a second each at 50 ms), search's dependency 20 times slower from 3 s on."""
    pool = SharedPool(dict(bulkheads.RATES_PER_S), dict(bulkheads.LATENCIES_S),
                      bulkheads.WORKERS)
    _expect_isolation(api_limits, admit_api, pool, DEFAULT_SEED, BULKHEAD_RUN_S,
                      BULKHEAD_SLOW_FROM_S, BULKHEAD_SETTLED_S)


@varied
def check_bulkheads_isolate_everywhere(api_limits, admit_api, *, seed: int) -> None:
    """The same story on a service drawn from the seed: other rates, latencies and pools."""
    _expect_isolation(api_limits, admit_api, draw_shared_pool(random.Random(seed)), seed,
                      BULKHEAD_RUN_S, BULKHEAD_SLOW_FROM_S, BULKHEAD_SETTLED_S)
