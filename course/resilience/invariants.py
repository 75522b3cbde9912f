"""The capstone's five invariants, judged on a pipeline ``Run``.

Each judgment returns a ``Verdict``: whether the invariant held, and if not, what broke it
in words a learner can act on, with one example. The objective's numbers are named here,
so the chapter, the lab and the feedback state the same ones.

1. **Nothing lost**: every order the front door acknowledged is in the orders table or in
   the failure queue with its reason, and every request was answered before its client
   gave up (a refusal is an answer; silence is not).
2. **Nothing doubled**: no order is charged twice, and every stored order is charged once.
3. **Recovery**: from ``RECOVERY_S`` after the last fault ends, the iterator age stays
   under ``RECOVERED_AGE_S`` and at least ``AVAILABILITY_OBJECTIVE`` of requests succeed.
4. **Overload handled**: in a surge, the door keeps at least ``SURGE_GOODPUT_SHARE`` of
   what it can serve (or of what is offered, if less), and refuses the rest at once.
5. **Alarms that work**: each objective the run breaks (``breaches``) raises its alarm no
   later than ``ALARM_DELAY_S`` after the breach begins; an alarm for an objective the run
   never breaks is a false alarm.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilience import chaos
from resilience.pipeline import ALARMS, DOOR_CAPACITY_PER_S, TRAFFIC_S, Period, Run

__all__ = ["Verdict", "INVARIANTS", "judge", "breaches", "alarms_due", "FRESHNESS_OBJECTIVE_S",
           "AVAILABILITY_OBJECTIVE", "RECOVERY_S", "RECOVERED_AGE_S", "SURGE_GOODPUT_SHARE",
           "ALARM_DELAY_S"]

FRESHNESS_OBJECTIVE_S = 30.0  # an order in the stream is stored (or set aside) within 30 s
AVAILABILITY_OBJECTIVE = 0.9  # of the requests a period receives, 90% get "yes"
RECOVERY_S = 20.0  # the pipeline is back to normal 20 s after the last fault ends
RECOVERED_AGE_S = 5.0  # normal: the iterator age under 5 s
SURGE_GOODPUT_SHARE = 0.8  # in a surge, 80% of what the door can serve still succeeds
ALARM_DELAY_S = 30.0  # an alarm fires within 30 s of the breach it reports
SURGE_UNANSWERED_SHARE = 0.05  # in a surge, at most 5% of requests go unanswered

INVARIANTS = ("nothing lost", "nothing doubled", "recovery", "overload", "alarms")


@dataclass(frozen=True)
class Verdict:
    """One invariant's judgment on one run."""

    invariant: str
    holds: bool
    detail: str = ""  # what broke, with an example (empty when it holds)


def judge(run: Run) -> list[Verdict]:
    """All five invariants on ``run``, in order."""
    return [nothing_lost(run), nothing_doubled(run), recovery(run), overload(run),
            alarms_work(run)]


def _verdict(invariant: str, problems: list[str]) -> Verdict:
    return Verdict(invariant, not problems, problems[0] if problems else "")


def nothing_lost(run: Run) -> Verdict:
    """Acknowledged orders are stored or set aside; every request gets an answer."""
    problems = []
    lost = sorted(order_id for order_id in run.acked
                  if order_id not in run.stored and order_id not in run.failed)
    if lost:
        where = ("it never reached the stream" if lost[0] not in run.written_s else
                 "it reached the stream but was never stored nor set aside")
        problems.append(f"{len(lost)} acknowledged orders were lost, e.g. {lost[0]}: {where}. "
                        "A client told \"yes\" must find its order, or a reason it failed.")
    silent = [a for a in run.attempts if a.outcome == "unanswered"]
    if silent:
        first = silent[0].request
        problems.append(f"{len(silent)} requests got no answer before their client gave up, "
                        f"e.g. {first.order_id} sent at {first.sent_s:.1f} s. A request the "
                        "pipeline cannot take must be refused at once, not left to time out.")
    return _verdict("nothing lost", problems)


def nothing_doubled(run: Run) -> Verdict:
    """No order charged twice; every stored order charged exactly once."""
    problems = []
    doubled = sorted(order_id for order_id, times in run.charges.items() if times > 1)
    if doubled:
        problems.append(f"{len(doubled)} orders were charged more than once, e.g. {doubled[0]} "
                        f"{run.charges[doubled[0]]} times: a retry or a redelivery charged "
                        "again. Charge with the order's own id as the idempotency key.")
    uncharged = sorted(order_id for order_id in run.stored if run.charges[order_id] == 0)
    if uncharged:
        problems.append(f"{len(uncharged)} stored orders were never charged, e.g. "
                        f"{uncharged[0]}: store an order only once its own charge succeeded, "
                        "under its own key (a key another order used gets that order's "
                        "receipt back, and charges nothing).")
    return _verdict("nothing doubled", problems)


def recovery(run: Run) -> Verdict:
    """Normal again from RECOVERY_S after the last fault."""
    back_by_s = run.schedule.quiet_from_s + RECOVERY_S
    problems = []
    for period in _traffic_periods(run):
        if period.start_s < back_by_s:
            continue
        if period.iterator_age_s > RECOVERED_AGE_S:
            problems.append(f"the iterator age was still {period.iterator_age_s:.0f} s at "
                            f"{period.start_s:.0f}-{period.start_s + period.length_s:.0f} s, "
                            f"{period.start_s - run.schedule.quiet_from_s:.0f} s after the last "
                            f"fault ended (it should be under {RECOVERED_AGE_S:.0f} s by "
                            f"{RECOVERY_S:.0f} s after): the consumer is not catching up.")
            break
        if _success_share(period) < AVAILABILITY_OBJECTIVE:
            problems.append(f"only {period.acked} of {period.offered} requests succeeded at "
                            f"{period.start_s:.0f}-{period.start_s + period.length_s:.0f} s, "
                            f"{period.start_s - run.schedule.quiet_from_s:.0f} s after the last "
                            "fault ended: the front door has not recovered.")
            break
    return _verdict("recovery", problems)


def overload(run: Run) -> Verdict:
    """In a surge, goodput near capacity and the excess refused at once."""
    problems = []
    for period in _traffic_periods(run):
        if not _surging(run.schedule, period):
            continue
        servable = min(period.offered, DOOR_CAPACITY_PER_S * period.length_s)
        if period.acked < SURGE_GOODPUT_SHARE * servable:
            problems.append(f"in the surge at {period.start_s:.0f}-"
                            f"{period.start_s + period.length_s:.0f} s, {period.acked} requests "
                            f"succeeded of the {servable:.0f} the door could serve: it spent "
                            "its time on requests whose clients had given up.")
            break
        if period.unanswered > SURGE_UNANSWERED_SHARE * period.offered:
            problems.append(f"in the surge at {period.start_s:.0f}-"
                            f"{period.start_s + period.length_s:.0f} s, {period.unanswered} of "
                            f"{period.offered} requests were never answered: refuse what "
                            "cannot be served in time, at once.")
            break
    return _verdict("overload", problems)


def _surging(schedule: chaos.Schedule, period: Period) -> bool:
    """A period wholly inside a surge, with no other fault on the path to the stream."""
    surges = [f for f in schedule.faults if f.kind == "surge"]
    inside = any(f.start_s <= period.start_s and period.start_s + period.length_s <= f.end_s
                 for f in surges)
    blocked = any(f.kind in chaos.CALL_FAULTS and f.service == "kinesis"
                  and f.start_s < period.start_s + period.length_s and period.start_s < f.end_s
                  for f in schedule.faults)
    return inside and not blocked


def alarms_work(run: Run) -> Verdict:
    """Each breached objective raises its alarm in time; no alarm without its breach."""
    problems = []
    began = breaches(run)
    fired: dict[str, list[float]] = {}
    for time_s, name in run.alarms:
        fired.setdefault(name, []).append(time_s)
    for name in ALARMS:
        if name in began:
            if not any(t <= began[name] + ALARM_DELAY_S for t in fired.get(name, [])):
                problems.append(f"the {name} objective broke at {began[name]:.0f} s "
                                f"({_OBJECTIVES[name]}), but the {name} alarm did not fire "
                                f"within {ALARM_DELAY_S:.0f} s.")
        elif name in fired:
            problems.append(f"the {name} alarm fired at {fired[name][0]:.0f} s, but the "
                            f"{name} objective ({_OBJECTIVES[name]}) never broke in this "
                            "run: a false alarm, which teaches people to ignore alarms.")
    unknown = sorted(set(fired) - set(ALARMS))
    if unknown:
        problems.append(f"alarms returned {unknown[0]!r}, which is not one of {list(ALARMS)}.")
    return _verdict("alarms", problems)


_OBJECTIVES = {
    "freshness": f"every order stored or set aside within {FRESHNESS_OBJECTIVE_S:.0f} s",
    "failures": "no order in the failure queue",
    "availability": f"{AVAILABILITY_OBJECTIVE:.0%} of each period's requests succeed",
}


def breaches(run: Run) -> dict[str, float]:
    """When each objective first broke in ``run`` (objectives that held are absent): when
    the first order went stale or was set aside, or the end of the first period in which
    too few requests succeeded."""
    began = {}
    late = [written_s + FRESHNESS_OBJECTIVE_S for order_id, written_s in run.written_s.items()
            if min(run.stored.get(order_id, float("inf")),
                   run.failed_s.get(order_id, float("inf"))) > written_s + FRESHNESS_OBJECTIVE_S]
    if late:
        began["freshness"] = min(late)
    if run.failed_s:
        began["failures"] = min(run.failed_s.values())
    unavailable = [p.start_s + p.length_s for p in run.periods
                   if p.offered and _success_share(p) < AVAILABILITY_OBJECTIVE]
    if unavailable:
        began["availability"] = min(unavailable)
    return began


def alarms_due(period: Period) -> list[str]:
    """The alarms a period's metrics call for, in ``ALARMS`` order: each objective's
    symptom, at the objective's own threshold (the iterator age past the freshness
    objective, a message in the failure queue, too few requests acknowledged)."""
    due = {"freshness": period.iterator_age_s > FRESHNESS_OBJECTIVE_S,
           "failures": period.failure_queue_depth > 0,
           "availability": bool(period.offered)
           and period.acked < AVAILABILITY_OBJECTIVE * period.offered}
    return [name for name in ALARMS if due[name]]


def _success_share(period: Period) -> float:
    return period.acked / period.offered if period.offered else 1.0


def _traffic_periods(run: Run) -> list[Period]:
    """The periods while clients send orders."""
    return [p for p in run.periods if p.start_s + p.length_s <= TRAFFIC_S]
