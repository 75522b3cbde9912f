"""Chapter 9's two pipelines: one that holds under chaos, and a naive one that does not.

Both are ``pipeline.Parts``. The one that holds puts the earlier chapters together:

- ``admit_in_time`` (chapter 5): let a request in only if the door can answer it before
  its client gives up; refuse the rest at once;
- ``send_orders_until_deadline`` (chapters 1-3): PutRecords, resend only the failed
  records, full jitter, a retry budget, and stop at the deadline;
- ``make_careful_handler`` (chapters 4 and 8): charge with the order id as the idempotency
  key, set aside what can never succeed, report the first transient failure so the
  mapping retries from there, and stop before the function's time is up;
- ``careful_mapping``: report item failures, bisect, bounded retries, a destination;
- ``symptom_alarms``: alarm on what users feel (stale orders, failed orders, refused
  requests), not on causes that retries absorb.

The naive parts are what a first draft looks like: let everyone in, write once and call it
done, charge without a key and raise on any error, take the mapping's defaults, and alarm on
every error.

Then the chapter's figure and widget. ``draw_run`` draws the timeline of one run from the
``Run`` alone (the grader's feedback embeds it, as ``run_figure_png``): the faults as shaded
bands, the requests acked, refused and unanswered, the orders stored, set aside and charged
twice, the iterator age against the freshness objective, the alarms against the objectives
they watch, and which invariants held. It draws a ``RunStory``, the frozen view of a run
that ``story_of`` makes. ``chaos_console_explorer`` runs either pipeline under up to two
faults of the learner's choosing (``draw_console``); ``console_story`` caches each run by
its schedule's line and the pipeline's name, so a setting that comes back redraws at once.

Last, the time budgets. ``NESTED_TIMEOUTS`` lists each of the pipeline's waits that must end
inside another, with both numbers taken from the pipeline. ``budget_run`` is a small simpy
model of the way in: Poisson arrivals, the door serving one request at a time, the flush
every interval and the producer's write (instant, or, for a share of writes, all of its
deadline), fast enough for a slider where the moto pipeline is not. ``draw_time_budget``
shows where a request's time goes and how many are answered before their client gives up;
``time_budget_explorer`` puts sliders on it.
"""

from __future__ import annotations

import base64
import bisect
import json
import math
import random
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import matplotlib.pyplot as plt
import simpy
from botocore.exceptions import BotoCoreError, ClientError

from resilience import chaos
from resilience.aws.facts import LAMBDA_MAX_TIMEOUT_S
from resilience.counterexamples import TARGETS
from resilience.invariants import (
    ALARM_DELAY_S,
    FRESHNESS_OBJECTIVE_S,
    RECOVERED_AGE_S,
    Verdict,
    alarms_due,
    breaches,
    judge,
)
from resilience.models.frozen import frozen_mapping
from resilience.pipeline import (
    ALARMS,
    BACKOFF_BASE_S,
    BACKOFF_CAP_S,
    CLIENT_TIMEOUT_S,
    DOOR_CAPACITY_PER_S,
    DRAIN_S,
    FAULTS_WITHIN_S,
    FLUSH_INTERVAL_S,
    FUNCTION_TIMEOUT_S,
    ORDERS_PER_S,
    PAYMENT_TIMEOUT_S,
    PRODUCER_DEADLINE_S,
    SERVICE_CLIENT_READ_TIMEOUT_S,
    TIME_TO_STOP_S,
    TRAFFIC_S,
    Door,
    Parts,
    Period,
    Request,
    Run,
    run_pipeline,
)
from resilience.ui.explorers import WIDE, explorer, figure_widget
from resilience.ui.figures import (
    BAD,
    CAPTION_IN,
    GOOD,
    INFO,
    NEUTRAL,
    WARN,
    new_figure,
    png_of,
    style,
)

__all__ = ["CAREFUL", "NAIVE", "admit_in_time", "send_orders_until_deadline",
           "make_careful_handler", "careful_mapping", "symptom_alarms", "error_alarms",
           "RunStory", "story_of", "draw_run", "run_figure_png", "console_story",
           "console_schedule", "draw_console", "chaos_console_explorer", "Nesting",
           "NESTED_TIMEOUTS", "BUDGET_STAGES", "BUDGET_STAGE_LABELS", "Journey", "BudgetRun",
           "worst_with_empty_queue", "budget_run", "draw_time_budget", "time_budget_explorer"]



# -- the pipeline that holds ---------------------------------------------------------------------


def admit_in_time(request: Request, door: Door) -> bool:
    """Admit a request only if it can be served, and written, before its client gives up."""
    served_by_s = door.now_s + (door.queued + 1) / door.capacity_per_s
    return served_by_s + FLUSH_INTERVAL_S + PRODUCER_DEADLINE_S < request.deadline_s


def send_orders_until_deadline(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """Write ``orders`` with PutRecords; resend only the records that failed, after a full
    jitter wait, while the budget and the deadline allow. Returns the ids written."""
    budget.deposit()
    pending, written, attempt = list(orders), [], 0
    while pending:
        failed = pending
        try:
            response = kinesis.put_records(StreamName=stream, Records=[
                {"Data": json.dumps(order).encode(), "PartitionKey": order["order_id"]}
                for order in pending])
            failed = [order for order, result in zip(pending, response["Records"], strict=True)
                      if "ErrorCode" in result]
            written += [order["order_id"] for order, result in zip(
                pending, response["Records"], strict=True) if "ErrorCode" not in result]
        except (ClientError, BotoCoreError):
            pass  # the whole call failed: every record is still to write
        pending, attempt = failed, attempt + 1
        wait_s = rng.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** attempt))
        if not pending or clock.now() + wait_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s or (
                not budget.try_spend()):  # no time for another call to finish, or no budget
            break
        clock.sleep(wait_s)
    return written


def make_careful_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """A Kinesis handler that charges each order once and stores it, sets aside what can
    never succeed, and reports the first record to retry."""

    def set_aside(order, reason):
        sqs.send_message(QueueUrl=failure_queue_url,
                         MessageBody=json.dumps({"order": order, "reason": reason}))

    def charge(order) -> bool:
        """Charge once; False if the order can never be charged (set aside)."""
        try:
            payments.charge(order["order_id"], order["amount_cents"],
                            idempotency_key=order["order_id"], timeout_s=PAYMENT_TIMEOUT_S)
        except ValueError as error:
            set_aside(order, str(error))
            return False
        return True

    def store(charged: list[tuple[str, dict]]) -> str | None:
        """Store the charged orders in one batch; the first sequence number not stored.
        An order written twice to the stream appears twice in a batch: BatchWriteItem
        refuses a request that names one key twice, so each order goes in once."""
        first_of: dict[str, str] = {}
        requests = []
        for number, order in charged:
            if order["order_id"] not in first_of:
                first_of[order["order_id"]] = number
                requests.append({"PutRequest": {"Item": {
                    "id": {"S": order["order_id"]}, "customer": {"S": order["customer"]},
                    "amount_cents": {"N": str(order["amount_cents"])}}}})
        try:
            left = dynamodb.batch_write_item(RequestItems={table: requests}).get(
                "UnprocessedItems", {}).get(table, [])
        except (ClientError, BotoCoreError):
            return charged[0][0]
        unstored = [first_of[r["PutRequest"]["Item"]["id"]["S"]] for r in left]
        return min(unstored, key=int) if unstored else None

    def handler(event, context):
        charged, failed = [], None
        for record in event["Records"]:
            number = record["kinesis"]["sequenceNumber"]
            if context.get_remaining_time_in_millis() < TIME_TO_STOP_S * 1000:
                failed = number
                break
            order = json.loads(_data(record))
            try:
                if charge(order):
                    charged.append((number, order))
            except (ConnectionError, TimeoutError, ClientError, BotoCoreError):
                failed = number
                break
        unstored = store(charged) if charged else None
        first = unstored or failed
        return {"batchItemFailures": [{"itemIdentifier": first}] if first else []}

    return handler


def _data(record) -> bytes:
    """A Kinesis event record's data, decoded."""
    return base64.b64decode(record["kinesis"]["data"])


def careful_mapping(stream_arn, failure_queue_arn):
    """Report item failures; retry a while, then send what is left to the destination."""
    return {"EventSourceArn": stream_arn, "StartingPosition": "TRIM_HORIZON",
            "BatchSize": 25, "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BisectBatchOnFunctionError": True, "MaximumRetryAttempts": 100,
            "MaximumRecordAgeInSeconds": 3600,
            "DestinationConfig": {"OnFailure": {"Destination": failure_queue_arn}}}


def symptom_alarms(period: Period) -> list[str]:
    """Alarm on what users feel: stale orders, failed orders, requests that did not succeed,
    each at its objective's own threshold."""
    return alarms_due(period)


CAREFUL = Parts(admit_in_time, send_orders_until_deadline, make_careful_handler,
                careful_mapping, symptom_alarms)


# -- the naive pipeline ------------------------------------------------------------------------


def admit_everyone(request: Request, door: Door) -> bool:
    """Let every request in: the queue takes what comes."""
    return True


def send_orders_once(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """One PutRecords call, and every order counted as written."""
    kinesis.put_records(StreamName=stream, Records=[
        {"Data": json.dumps(order).encode(), "PartitionKey": order["order_id"]}
        for order in orders])
    return [order["order_id"] for order in orders]


def make_naive_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """Charge and store every order; any error fails the batch."""

    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(_data(record))
            payments.charge(order["order_id"], order["amount_cents"])
            dynamodb.put_item(TableName=table, Item={"id": {"S": order["order_id"]}})

    return handler


def default_mapping(stream_arn, failure_queue_arn):
    """Lambda's defaults: retry a failed batch until its records expire."""
    return {"EventSourceArn": stream_arn, "StartingPosition": "TRIM_HORIZON"}


def error_alarms(period: Period) -> list[str]:
    """Alarm on every error anywhere."""
    errors = period.put_failures + period.function_errors + period.payment_errors
    return list(ALARMS) if errors else []


NAIVE = Parts(admit_everyone, send_orders_once, make_naive_handler, default_mapping,
              error_alarms)


# -- the timeline of one run ---------------------------------------------------------------------

PIPELINES = {"careful": CAREFUL, "naive": NAIVE}
PIPELINE_LABELS = {"careful": "careful (holds)", "naive": "naive (a first draft)"}
BIN_S = 5.0  # the figure counts requests and orders in bins of 5 s
RUN_END_S = TRAFFIC_S + DRAIN_S
_BIN_COUNT = math.ceil(RUN_END_S / BIN_S)
PANELS_IN = 7.2  # the height of the figure's four panels (inches)
DETAIL_CHARACTERS = 150  # a broken invariant's reason, wrapped to lines this long,
DETAIL_LINE_IN = 0.17  # each this high (inches)


@dataclass(frozen=True)
class RunStory:
    """What the timeline figure shows of one run, frozen (a cached story is shared by every
    redraw): bins of ``BIN_S`` seconds, and per invariant its verdict."""

    schedule: str  # the schedule, as the one line that replays it
    faults: tuple[chaos.Fault, ...]
    acked: tuple[int, ...]  # requests per bin, by when they were sent: answered yes,
    refused: tuple[int, ...]  # answered no,
    unanswered: tuple[int, ...]  # or left until the client gave up
    stored: tuple[int, ...]  # orders first stored in the table, per bin
    set_aside: tuple[int, ...]  # orders first put in the failure queue, per bin
    doubled: tuple[int, ...]  # orders charged more than once, per bin (when first stored,
    # set aside or written to the stream)
    lost: int  # orders acknowledged and then neither stored nor set aside
    iterator_age: tuple[tuple[float, float], ...]  # (time, iterator age), both in seconds
    alarms: tuple[tuple[float, str], ...]  # (time, alarm) for each alarm fired
    breaches: Mapping[str, float]  # objective -> when it first broke
    verdicts: tuple[Verdict, ...]
    errors: tuple[str, ...]  # a part that raised, in words

    @property
    def held(self) -> int:
        """How many of the five invariants held."""
        return sum(verdict.holds for verdict in self.verdicts)


def _bins(times: Iterable[float]) -> tuple[int, ...]:
    """How many of ``times`` fall in each ``BIN_S`` bin of the run."""
    counts = Counter(min(int(time_s // BIN_S), _BIN_COUNT - 1) for time_s in times)
    return tuple(counts[index] for index in range(_BIN_COUNT))


def story_of(run: Run) -> RunStory:
    """The figure's view of ``run``, with the five invariants judged on it."""
    outcomes: dict[str, list[float]] = {"acked": [], "refused": [], "unanswered": []}
    for attempt in run.attempts:
        outcomes.setdefault(attempt.outcome, []).append(attempt.request.sent_s)
    doubled = [run.stored.get(order_id, run.failed_s.get(order_id, run.written_s.get(
        order_id, 0.0))) for order_id, times in run.charges.items() if times > 1]
    lost = [order_id for order_id in run.acked
            if order_id not in run.stored and order_id not in run.failed]
    return RunStory(run.schedule.encode(), run.schedule.faults, _bins(outcomes["acked"]),
                    _bins(outcomes["refused"]), _bins(outcomes["unanswered"]),
                    _bins(run.stored.values()), _bins(run.failed_s.values()), _bins(doubled),
                    len(lost), tuple(run.iterator_age), tuple(run.alarms),
                    frozen_mapping(breaches(run)), tuple(judge(run)), tuple(run.errors))


@lru_cache(maxsize=256)
def console_story(schedule: str = "seed=0", pipeline: str = "careful") -> RunStory:
    """The story of the ``pipeline`` (a key of ``PIPELINES``) under ``schedule`` (its one
    line), run once and then remembered: a setting that comes back redraws at once."""
    return story_of(run_pipeline(PIPELINES[pipeline], chaos.Schedule.parse(schedule)))


def plot_faults(axes, faults: Iterable[chaos.Fault]) -> None:
    """Each fault as a shaded band across every panel, named on the first."""
    for number, fault in enumerate(faults):
        for ax in axes:
            ax.axvspan(fault.start_s, fault.end_s, color=WARN, alpha=0.15, linewidth=0)
        top = axes[0]
        top.text(fault.start_s + 0.5, 0.97 - 0.12 * number, fault.encode(), color=BAD,
                 transform=top.get_xaxis_transform(), va="top", fontsize=8)


def _stack(ax, layers) -> list[int]:
    """Stack ``layers`` of (counts per bin, colour, label) as filled steps, one on another
    (a few patches, where bars would be one per bin: the figure redraws faster); returns
    the top of the stack per bin."""
    edges = [index * BIN_S for index in range(_BIN_COUNT + 1)]
    bottom = [0] * _BIN_COUNT
    for counts, colour, label in layers:
        top = [b + c for b, c in zip(bottom, counts, strict=True)]
        ax.stairs(top, edges, baseline=bottom, fill=True, color=colour, label=label)
        bottom = top
    return bottom


def plot_requests(ax, story: RunStory) -> None:
    """Requests per bin, by when they were sent: acked, refused, never answered."""
    tops = _stack(ax, ((story.acked, GOOD, "acked"), (story.refused, WARN, "refused"),
                       (story.unanswered, BAD, "no answer")))
    ax.set_ylim(0, max(max(tops) * 1.45, 1))
    ax.legend(loc="upper right", ncols=3)
    style(ax, f"Schedule: {story.schedule}", "", f"requests per {BIN_S:g} s")


def plot_orders(ax, story: RunStory) -> None:
    """Orders stored or set aside per bin, and (over them) those charged more than once."""
    tops = _stack(ax, ((story.stored, GOOD, "stored"), (story.set_aside, WARN, "set aside")))
    _stack(ax, ((story.doubled, BAD, "charged twice or more"),))
    ax.set_ylim(0, max(max(tops) * 1.4, 1))
    ax.legend(loc="upper right", ncols=3)
    style(ax, f"{sum(story.stored)} orders stored, {sum(story.set_aside)} set aside, "
              f"{sum(story.doubled)} charged more than once, {story.lost} acked and lost", "",
          f"orders per {BIN_S:g} s")


def plot_iterator_age(ax, story: RunStory) -> None:
    """The consumer's iterator age over time, against the freshness objective and the
    bound it must fall under once the faults are over."""
    ax.axhline(FRESHNESS_OBJECTIVE_S, color=BAD, linestyle="--", linewidth=0.8,
               label=f"freshness objective ({FRESHNESS_OBJECTIVE_S:g} s)")
    ax.axhline(RECOVERED_AGE_S, color=NEUTRAL, linestyle=":", linewidth=0.8,
               label=f"recovered ({RECOVERED_AGE_S:g} s)")
    times = [time_s for time_s, _ in story.iterator_age]
    ages = [max(age_s, 0.0) for _, age_s in story.iterator_age]
    ax.plot(times, ages, color=INFO, drawstyle="steps-post", label="iterator age")
    highest = max(ages, default=0.0)
    ax.set_ylim(0, max(highest, FRESHNESS_OBJECTIVE_S) * 1.35)
    ax.legend(loc="upper right", ncols=3)
    style(ax, f"Iterator age: at most {highest:.0f} s", "", "age (s)")


def plot_alarms(ax, story: RunStory) -> None:
    """Per alarm, when its objective first broke (a cross, with the ``ALARM_DELAY_S`` its
    alarm has to fire) and each time it fired (a triangle): each cross needs a triangle
    within its delay, and no row a triangle without a cross."""
    rows = {name: row for row, name in enumerate(ALARMS)}
    for row in rows.values():
        ax.axhline(row, color=NEUTRAL, linewidth=0.5)
    broke = [(began, rows[name]) for name, began in story.breaches.items()]
    for began, row in broke:
        ax.plot([began, began + ALARM_DELAY_S], [row, row], color=BAD, linewidth=2, alpha=0.4)
    ax.plot([t for t, _ in broke], [r for _, r in broke], linestyle="none", marker="X",
            color=BAD, markersize=8, label="objective broke")
    fired = [(time_s, rows[name]) for time_s, name in story.alarms if name in rows]
    ax.plot([t for t, _ in fired], [r for _, r in fired], linestyle="none", marker="^",
            color=INFO, markersize=6, label="alarm fired")
    ax.set_yticks(range(len(ALARMS)), ALARMS)
    ax.set_ylim(-0.6, len(ALARMS) - 0.4)
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2)
    style(ax, f"Alarms: each broken objective (x) must raise its alarm (^) within "
              f"{ALARM_DELAY_S:g} s", "time (s)", "objective")


def plot_verdicts(figure, story: RunStory, y: float) -> None:
    """The five invariants along the top: green if it held, vermillion if not."""
    figure.text(0.01, y, f"{story.held} of {len(story.verdicts)} invariants hold:",
                va="center", fontsize=10, weight="bold")
    for number, verdict in enumerate(story.verdicts):
        figure.text(0.2 + 0.16 * number, y, verdict.invariant, va="center", color="white",
                    fontsize=9, weight="bold", bbox={"facecolor": GOOD if verdict.holds
                                                     else BAD, "edgecolor": "none"})


def _timeline_figure(story: RunStory, *, details: bool = False):
    """The timeline figure of ``story``; with ``details``, each broken invariant's reason
    in words under it."""
    explained = _details(story) if details else []
    text_in = DETAIL_LINE_IN * len(explained)
    with plt.rc_context({"axes.titley": 1.0}):  # titles placed, not measured: faster
        figure, axes = new_figure(
            10, PANELS_IN + text_in,
            "Shaded: the faults. Watch what reaches clients, what is stored, how stale the "
            "stream gets, and which alarms fire.",
            left=0.1, right=0.98, top=1 - 0.55 / (PANELS_IN + text_in),
            bottom=(0.45 + text_in) / (PANELS_IN + text_in), nrows=4, sharex=True,
            gridspec_kw={"height_ratios": (3, 2.5, 2.5, 1.6), "hspace": 0.5})
    plot_faults(axes, story.faults)
    plot_requests(axes[0], story)
    plot_orders(axes[1], story)
    plot_iterator_age(axes[2], story)
    plot_alarms(axes[3], story)
    axes[3].set_xlim(0, RUN_END_S)
    total_in = PANELS_IN + text_in + CAPTION_IN
    plot_verdicts(figure, story, 1 - 0.18 / total_in)
    for number, line in enumerate(explained):
        figure.text(0.01, (CAPTION_IN + text_in - DETAIL_LINE_IN * (number + 0.5)) / total_in,
                    line, va="center", fontsize=8, color=BAD)
    return figure


def _details(story: RunStory) -> list[str]:
    """Each broken invariant's reason (and a part's error), wrapped to lines."""
    reasons = [f"{v.invariant}: {v.detail}" for v in story.verdicts if not v.holds]
    reasons += [f"error: {error}" for error in story.errors[:1]]
    lines = []
    for reason in reasons:
        wrapped = textwrap.wrap(reason, DETAIL_CHARACTERS)
        lines += [wrapped[0], *(f"    {line}" for line in wrapped[1:])]
    return lines


def draw_run(run: Run | None = None, *, details: bool = False):
    """The timeline figure of one pipeline run: the faults, the requests, the orders, the
    iterator age, the alarms, and which invariants held. Draws from the ``Run`` alone (the
    grader's feedback shows it); without one, the careful pipeline's run without faults."""
    return _timeline_figure(story_of(run) if run is not None else console_story(), details=details)


def run_figure_png(run: Run) -> bytes:
    """``draw_run(run)`` as PNG bytes (the grader's feedback embeds it), the figure closed."""
    return png_of(draw_run(run))


# -- the chaos console ---------------------------------------------------------------------------

NO_FAULT = "none"
# What each kind of fault may strike in the pipeline: a call fault, the services the
# search tries it on; a pipeline fault, the one part it hits.
CONSOLE_TARGETS = {**TARGETS, **chaos.PIPELINE_TARGETS}
# A fault starts, and lasts, up to FAULTS_WITHIN_S seconds, as the search's faults do.
CONSOLE_STARTS_S = (0, int(FAULTS_WITHIN_S))
CONSOLE_LENGTHS_S = (1, int(FAULTS_WITHIN_S))
CONSOLE_RATES = (0.1, 0.25, 0.5, 1.0)
CONSOLE_AMOUNTS = (1.0, 2.0, 3.0, 5.0, 10.0, 30.0)  # seconds of latency, or a surge's factor
CONSOLE_SEEDS = (0, 20)
DEFAULT_FAULT = chaos.Fault("timeout_after_work", "payments", 5.0, 20.0, 0.5)  # the first
SECOND_FAULT = chaos.Fault("crash", "consumer", 20.0, 10.0)  # the second's, once a kind is picked
DEFAULT_AMOUNT = 5.0  # seconds of latency, or a surge's factor, until one is picked


def console_schedule(seed: int = 0, *faults: tuple) -> chaos.Schedule:
    """The schedule the console's settings describe: each of ``faults`` is (kind, target,
    start, length, rate, amount), and a kind of ``NO_FAULT`` is left out. The rate of a
    surge, and the amount of a kind that needs none, are ignored."""
    chosen = []
    for kind, target, start_s, length_s, rate, amount in faults:
        if kind == NO_FAULT:
            continue
        chosen.append(chaos.Fault(kind, target, float(start_s), float(length_s),
                                  1.0 if kind in chaos.WHOLE_ONLY else float(rate),
                                  float(amount) if kind in chaos.NEEDS_AMOUNT else 0.0))
    return chaos.Schedule(tuple(chosen), int(seed))


def draw_console(pipeline="careful", seed=0, kind=DEFAULT_FAULT.kind,
                 target=DEFAULT_FAULT.target, start_s=DEFAULT_FAULT.start_s,
                 length_s=DEFAULT_FAULT.length_s, rate=DEFAULT_FAULT.rate, amount=DEFAULT_AMOUNT,
                 kind2=NO_FAULT, target2=SECOND_FAULT.target, start2_s=SECOND_FAULT.start_s,
                 length2_s=SECOND_FAULT.length_s, rate2=SECOND_FAULT.rate,
                 amount2=DEFAULT_AMOUNT):
    """The careful or the naive pipeline under up to two faults: its timeline, and each
    broken invariant's reason under it."""
    schedule = console_schedule(seed, (kind, target, start_s, length_s, rate, amount),
                                (kind2, target2, start2_s, length2_s, rate2, amount2))
    return _timeline_figure(console_story(schedule.encode(), pipeline), details=True)


def _fault_controls(w, number: int, fault: chaos.Fault, on: bool) -> dict:
    """One fault's controls, named as ``draw_console``'s keywords (``kind``, or ``kind2``
    for the second fault), set to ``fault`` (its kind only if ``on``, else none): the
    targets follow the kind, and what a kind does not use is greyed out."""
    suffix = "" if number == 1 else str(number)
    kind = w.Dropdown(options=[NO_FAULT, *chaos.KINDS], value=fault.kind if on else NO_FAULT,
                      description=f"fault {number}", style=WIDE)
    target = w.Dropdown(options=CONSOLE_TARGETS[fault.kind], value=fault.target,
                        description="strikes", style=WIDE)
    sliders = {"continuous_update": False, "style": WIDE}
    start = w.IntSlider(value=int(fault.start_s), min=CONSOLE_STARTS_S[0],
                        max=CONSOLE_STARTS_S[1], description="from (s)", **sliders)
    length = w.IntSlider(value=int(fault.length_s), min=CONSOLE_LENGTHS_S[0],
                         max=CONSOLE_LENGTHS_S[1], description="for (s)", **sliders)
    rate = w.SelectionSlider(options=CONSOLE_RATES, value=fault.rate,
                             description="share struck", **sliders)
    amount = w.SelectionSlider(options=CONSOLE_AMOUNTS, value=fault.amount or DEFAULT_AMOUNT,
                               description="amount", **sliders)

    def follow(change=None) -> None:
        """Offer the targets the kind can strike; grey out what it does not use."""
        chosen = kind.value
        if chosen != NO_FAULT and tuple(target.options) != CONSOLE_TARGETS[chosen]:
            target.options = CONSOLE_TARGETS[chosen]  # (the first is chosen)
        target.disabled = start.disabled = length.disabled = chosen == NO_FAULT
        rate.disabled = chosen == NO_FAULT or chosen in chaos.WHOLE_ONLY
        amount.disabled = chosen not in chaos.NEEDS_AMOUNT
        amount.description = {"latency": "latency added (s)", "surge": "surge (x traffic)"}.get(
            chosen, "amount")

    follow()
    kind.observe(follow, "value")  # before the figure's observer: it sees the new targets
    return {f"kind{suffix}": kind, f"target{suffix}": target, f"start{suffix}_s": start,
            f"length{suffix}_s": length, f"rate{suffix}": rate, f"amount{suffix}": amount}


def chaos_console_explorer():
    """The chaos console: the careful or the naive pipeline, a seed and up to two faults;
    its timeline, which invariants held, and why the others broke."""
    import ipywidgets as w

    pipeline = w.Dropdown(options=[(PIPELINE_LABELS[key], key) for key in PIPELINES],
                          value="careful", description="pipeline", style=WIDE)
    seed = w.IntSlider(value=0, min=CONSOLE_SEEDS[0], max=CONSOLE_SEEDS[1], description="seed",
                       continuous_update=False, style=WIDE)
    first = _fault_controls(w, 1, DEFAULT_FAULT, on=True)
    second = _fault_controls(w, 2, SECOND_FAULT, on=False)
    controls = {"pipeline": pipeline, "seed": seed, **first, **second}
    return w.VBox([w.HBox([pipeline, seed]),
                   w.HBox([w.VBox(list(first.values())), w.VBox(list(second.values()))]),
                   figure_widget(w, draw_console, controls)])


# -- time budgets --------------------------------------------------------------------------------


class Nesting(NamedTuple):
    """One wait that must end inside another: ``inner_s`` must be shorter than ``outer_s``
    (or at most as long, for a limit that allows its own value)."""

    inner: str  # what waits, in words with the constants' names
    inner_s: float
    outer: str
    outer_s: float
    broken: str  # what goes wrong when it does not nest
    may_equal: bool = False

    @property
    def sign(self) -> str:
        return "<=" if self.may_equal else "<"

    @property
    def nests(self) -> bool:
        return self.inner_s <= self.outer_s if self.may_equal else self.inner_s < self.outer_s


NESTED_TIMEOUTS = (
    Nesting("one PutRecords call (SERVICE_CLIENT_READ_TIMEOUT_S)", SERVICE_CLIENT_READ_TIMEOUT_S,
            "the producer's deadline (PRODUCER_DEADLINE_S)", PRODUCER_DEADLINE_S,
            "a call that times out always overruns the deadline"),
    Nesting("the producer's write (PRODUCER_DEADLINE_S)", PRODUCER_DEADLINE_S,
            "the flush interval (FLUSH_INTERVAL_S)", FLUSH_INTERVAL_S,
            "the next flush waits for the last write: served requests pile up"),
    Nesting("a charge, then storing it (PAYMENT_TIMEOUT_S + SERVICE_CLIENT_READ_TIMEOUT_S)",
            PAYMENT_TIMEOUT_S + SERVICE_CLIENT_READ_TIMEOUT_S,
            "the time kept in reserve (TIME_TO_STOP_S)", TIME_TO_STOP_S,
            "Lambda stops the handler mid-record: charged, not stored, retried"),
    Nesting("the reserve (TIME_TO_STOP_S)", TIME_TO_STOP_S,
            "the function's timeout (FUNCTION_TIMEOUT_S)", FUNCTION_TIMEOUT_S,
            "no record is ever started"),
    Nesting("the function's timeout (FUNCTION_TIMEOUT_S)", FUNCTION_TIMEOUT_S,
            "Lambda's maximum timeout", LAMBDA_MAX_TIMEOUT_S,
            "Lambda refuses the configuration", may_equal=True),
)

BUDGET_STAGES = ("queue", "door", "flush", "write")
BUDGET_STAGE_LABELS = {"queue": "queued at the door", "door": "served by the door",
                       "flush": "waiting for the flush", "write": "the producer's write"}
BUDGET_STAGE_COLOURS = {"queue": BAD, "door": INFO, "flush": NEUTRAL, "write": WARN}
BUDGET_SEEDS = range(10)  # the model runs TRAFFIC_S of arrivals once per seed, and pools them
DEFAULT_LOAD = ORDERS_PER_S / DOOR_CAPACITY_PER_S  # the pipeline's normal traffic: 0.4
SLOW_WRITE_SHARE = 0.1  # by default, 1 write in 10 meets a struggling stream: all its deadline
BUDGET_LOADS = (0.2, DEFAULT_LOAD, 0.6, 0.8, 0.9, 1.0, 1.2, 1.5)  # x the door's capacity
BUDGET_FLUSH_INTERVALS_S = (0.5, 1.0, FLUSH_INTERVAL_S, 3.0, 4.0)
BUDGET_DEADLINES_S = (0.5, 1.0, PRODUCER_DEADLINE_S, 2.0, 3.0)
BUDGET_CLIENT_TIMEOUTS_S = (2.0, 3.0, 4.0, CLIENT_TIMEOUT_S, 8.0)
BUDGET_SLOW_SHARES = (0.0, SLOW_WRITE_SHARE, 0.25, 0.5, 1.0)
SLOWEST_SHARE = 0.99  # the figure's second bar: the request slower than 99 in 100
TICKS = 6  # at most this many ticks on a time axis: each label costs a redraw time
LEGEND_ROOM = 1.6  # the bars' axis runs this far past the longest, for the legend beside them


class Journey(NamedTuple):
    """Where one request's time went, from its arrival at the door to its answer (seconds),
    one field per ``BUDGET_STAGES``."""

    queue: float
    door: float
    flush: float
    write: float

    @property
    def total_s(self) -> float:
        return self.queue + self.door + self.flush + self.write


@dataclass(frozen=True)
class BudgetRun:
    """Every request's journey in the budget model, pooled over ``BUDGET_SEEDS``, sorted by
    its total time."""

    journeys: tuple[Journey, ...]

    def share_in_time(self, client_timeout_s: float) -> float:
        """The share of requests answered before their client gave up."""
        totals = [journey.total_s for journey in self.journeys]
        return bisect.bisect_left(totals, client_timeout_s) / len(totals)

    def at(self, share: float) -> Journey:
        """The journey slower than ``share`` of all the others (0.5: the median)."""
        return self.journeys[min(int(share * len(self.journeys)), len(self.journeys) - 1)]


def worst_with_empty_queue(flush_interval_s: float = FLUSH_INTERVAL_S,
                           deadline_s: float = PRODUCER_DEADLINE_S) -> Journey:
    """The longest a request can take when nobody is ahead of it at the door: served, then
    a whole flush interval to wait, then a write that takes all of its deadline."""
    return Journey(0.0, 1 / DOOR_CAPACITY_PER_S, flush_interval_s, deadline_s)


FLOAT_SLACK = 1e-9  # a flush that starts on a tick (in floating point) counts as that tick's


def _journeys(load: float, flush_interval_s: float, deadline_s: float, slow_share: float,
              seed: int) -> list[Journey]:
    """One run of the way in: ``TRAFFIC_S`` of Poisson arrivals at ``load`` times the door's
    capacity, all let in (admission is the lab's); the door serves one at a time; every
    ``flush_interval_s`` (or when the last write ends, if later) the producer writes what
    was served, in no time or, for ``slow_share`` of writes, in all of ``deadline_s``."""
    env = simpy.Environment()
    arrivals, writes = random.Random(seed), random.Random(f"{seed}:writes")
    queue = simpy.Store(env)  # arrival times, in the order the door let them in
    service_s = 1 / DOOR_CAPACITY_PER_S
    served: list[tuple[float, float]] = []  # (time queued, when served), for the producer
    journeys: list[Journey] = []
    waiting = [0]  # requests arrived and not yet answered

    def clients():
        while True:
            yield env.timeout(arrivals.expovariate(load * DOOR_CAPACITY_PER_S))
            if env.now >= TRAFFIC_S:
                return
            waiting[0] += 1
            queue.put(env.now)

    def door():
        while True:
            arrived_s = yield queue.get()
            queued_s = env.now - arrived_s
            yield env.timeout(service_s)
            served.append((queued_s, env.now))

    def producer():
        tick_s = flush_interval_s
        while env.now < TRAFFIC_S or waiting[0]:
            yield env.timeout(max(0.0, tick_s - env.now))
            started_s, batch = env.now, served[:]
            served.clear()
            if batch:
                write_s = deadline_s if writes.random() < slow_share else 0.0
                yield env.timeout(write_s)
                journeys.extend(Journey(queued_s, service_s, started_s - served_s, write_s)
                                for queued_s, served_s in batch)
                waiting[0] -= len(batch)
            tick_s = (math.floor(started_s / flush_interval_s + FLOAT_SLACK) + 1) * flush_interval_s

    for process in (clients, door, producer):
        env.process(process())
    env.run()
    return journeys


@lru_cache(maxsize=256)
def budget_run(load: float = DEFAULT_LOAD, flush_interval_s: float = FLUSH_INTERVAL_S,
               deadline_s: float = PRODUCER_DEADLINE_S,
               slow_share: float = SLOW_WRITE_SHARE) -> BudgetRun:
    """The budget model's runs, one per seed of ``BUDGET_SEEDS``, pooled (and remembered:
    the client's timeout changes only how they are counted)."""
    journeys = [journey for seed in BUDGET_SEEDS
                for journey in _journeys(load, flush_interval_s, deadline_s, slow_share, seed)]
    return BudgetRun(tuple(sorted(journeys, key=lambda journey: journey.total_s)))


def plot_budget_bars(ax, run: BudgetRun, worst: Journey, client_timeout_s: float) -> None:
    """Three requests' time, stage by stage: the median, the slowest 1 in 100, and the worst
    case with nobody ahead at the door; the client's timeout as a line across them."""
    rows = (("median request", run.at(0.5)),
            (f"slowest 1 in {1 / (1 - SLOWEST_SHARE):.0f}", run.at(SLOWEST_SHARE)),
            ("worst case, no queue", worst))
    left = [0.0] * len(rows)
    for stage in BUDGET_STAGES:  # one call per stage, all rows at once: a faster redraw
        seconds = [getattr(journey, stage) for _, journey in rows]
        ax.barh(range(len(rows)), seconds, left=left, color=BUDGET_STAGE_COLOURS[stage],
                label=BUDGET_STAGE_LABELS[stage])
        left = [start + length for start, length in zip(left, seconds, strict=True)]
    ax.axvline(client_timeout_s, color=BAD, linestyle="--",
               label=f"client's timeout ({client_timeout_s:g} s)")
    ax.set_yticks(range(len(rows)), [label for label, _ in rows])
    ax.invert_yaxis()
    longest = max(journey.total_s for _, journey in rows)
    ax.set_xlim(0, max(longest, client_timeout_s) * LEGEND_ROOM)
    ax.locator_params(axis="x", nbins=TICKS)
    ax.legend(loc="lower right", fontsize=8)
    style(ax, "Where a request's time goes", "seconds from arrival to answer", "request")


def plot_answer_times(ax, run: BudgetRun, client_timeout_s: float) -> None:
    """The share of requests answered within each time, against the client's timeout."""
    totals = [journey.total_s for journey in run.journeys]
    ax.plot(totals, [(rank + 1) / len(totals) * 100 for rank in range(len(totals))],
            color=INFO, drawstyle="steps-post")
    ax.axvline(client_timeout_s, color=BAD, linestyle="--")
    ax.set_ylim(0, 105)
    ax.set_yticks(range(0, 101, 25))
    ax.set_xlim(0, max(totals[-1], client_timeout_s) * 1.05)
    ax.locator_params(axis="x", nbins=TICKS)
    share = run.share_in_time(client_timeout_s)
    style(ax, f"{share:.1%} answered in time, {1 - share:.1%} after the client left",
          "seconds from arrival to answer", "requests answered (%)")


def draw_time_budget(load=DEFAULT_LOAD, flush_interval_s=FLUSH_INTERVAL_S,
                     deadline_s=PRODUCER_DEADLINE_S, client_timeout_s=CLIENT_TIMEOUT_S,
                     slow_share=SLOW_WRITE_SHARE):
    """Where a request's time goes on its way in, and how many are answered before their
    client gives up, with the door letting everyone in."""
    run = budget_run(load, flush_interval_s, deadline_s, slow_share)
    with plt.rc_context({"axes.titley": 1.0}):  # titles placed, not measured: faster
        figure, (bars, answers) = new_figure(
            11, 3.4, "The door lets everyone in here: past its capacity, the queue eats the "
                     "budget, and the work goes on for clients who have left.",
            left=0.17, right=0.98, top=0.88, bottom=0.16, ncols=2, wspace=0.25,
            gridspec_kw={"width_ratios": (1.2, 1)})
    plot_budget_bars(bars, run, worst_with_empty_queue(flush_interval_s, deadline_s),
                     client_timeout_s)
    plot_answer_times(answers, run, client_timeout_s)
    return figure


def time_budget_explorer():
    """The load, the flush interval, the producer's deadline, the client's timeout and the
    share of slow writes, against where a request's time goes."""
    import ipywidgets as w

    def slider(options, value, description):
        return w.SelectionSlider(options=options, value=value, description=description,
                                 continuous_update=False, style=WIDE)

    return explorer(
        w, draw_time_budget,
        load=slider(BUDGET_LOADS, DEFAULT_LOAD, "load (x the door's capacity)"),
        flush_interval_s=slider(BUDGET_FLUSH_INTERVALS_S, FLUSH_INTERVAL_S,
                                "flush interval (s)"),
        deadline_s=slider(BUDGET_DEADLINES_S, PRODUCER_DEADLINE_S, "producer's deadline (s)"),
        client_timeout_s=slider(BUDGET_CLIENT_TIMEOUTS_S, CLIENT_TIMEOUT_S,
                                "client's timeout (s)"),
        slow_share=slider(BUDGET_SLOW_SHARES, SLOW_WRITE_SHARE,
                          "writes that take the whole deadline"),
    )
