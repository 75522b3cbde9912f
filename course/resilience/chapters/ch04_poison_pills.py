"""Chapter 4's scenarios: one poison pill in a Kinesis shard or an SQS queue, run through the
event source mapping emulators under the settings a learner chooses.

``shard_story`` replays the seed's story: a producer writes to one shard all day, one record
can never be processed, and the mapping's settings decide whether the shard is stuck for a
day (AWS's defaults) or moves on at once. ``queue_story`` does the same for an SQS queue
with a dead-letter queue; a queue whose visibility timeout is shorter than the function's
timeout is refused, as Lambda refuses it, and the queue's figure says so instead of drawing
a run AWS would never make. Both are deterministic and cached, so a widget redraws at once
when a setting comes back; their stories are frozen, as every caller shares them.

Then the production side: ``set_aside`` makes a record function park what can never succeed
instead of failing; ``sqs_run`` and ``kinesis_run`` run any handler written for AWS
(Powertools' batch processor, in the chapter) under the emulators and say what it answered
and what was done how often. The redrive exercise (``check_redrive``, its self-check) and
``retention_story``, which shows a DLQ deleting a message before anyone redrives it, use the
sandbox's SQS move tasks (``resilience.aws.movetasks`` fills that moto gap).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from resilience.aws.facts import (
    LAMBDA_MAX_TIMEOUT_S,
    REPORT_BATCH_ITEM_FAILURES,
    SECONDS_PER_DAY,
    SQS_DEFAULT_RETENTION_S,
    SQS_MAPPING_CONCURRENCY_RANGE,
    SQS_MAX_RETENTION_S,
    SQS_MIN_MAX_RECEIVE_COUNT,
    SQS_VISIBILITY_PER_FUNCTION_TIMEOUT,
    queue_arn,
)
from resilience.aws.motoclock import sim_s
from resilience.clock import SimClock
from resilience.eventsources import (
    Function,
    InvalidParameterValue,
    KinesisEventSourceMapping,
    Metrics,
    SqsEventSourceMapping,
)
from resilience.models.frozen import frozen_mapping
from resilience.models.poison import (
    POISON,
    PoisonRecord,
    kinesis_handler,
    parse_order,
    sqs_handler,
)
from resilience.sandbox import aws_sandbox, drain_queue
from resilience.ui.explorers import WIDE, explorer
from resilience.ui.figures import BAD, GOOD, NEUTRAL, WARN, new_figure, style
from resilience.ui.progress import steps

STREAM = "orders"
DESTINATION = "orders-failures"
QUEUE = "jobs"
DLQ = "jobs-dlq"
STORY_HOURS = 30  # long enough to see a day of retries end, and what follows
BURST_EVERY_S = 600  # the story's producer writes a burst every 10 minutes...
BURST_RECORDS = 20  # ...of 20 records: 2 a minute, few enough that a run takes a second
STORY_BATCH_SIZE = 10
POISON_BURST = 3  # the pill comes in the burst at 30 minutes...
POISON_INDEX = 3  # ...as its fourth record
HEADROOM = 1.5  # the function's capacity over the producer's rate (records a second)
STORY_FUNCTION_TIMEOUT_S = LAMBDA_MAX_TIMEOUT_S  # the story's function is slow, not stuck
SAMPLE_S = 600  # the story's figures sample every 10 minutes
QUEUE_FUNCTION_TIMEOUT_S = 30  # the queue story's function timeout, unless changed...
QUEUE_VISIBILITY_S = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * QUEUE_FUNCTION_TIMEOUT_S  # ...6x it


def _seconds_per_record(headroom: float) -> float:
    """What the story's function spends on one record, for a capacity of ``headroom`` times
    the producer's rate (it calls a slow partner API for each order)."""
    return BURST_EVERY_S / BURST_RECORDS / headroom


@dataclass(frozen=True)
class StoryMetrics:
    """The mapping's ``Metrics`` at the end of a story, frozen: the totals the figures and the
    chapter's tables read, under the same names."""

    invocations: int
    failed_invocations: int
    redeliveries: int
    discarded: Mapping[str, str]  # id -> the condition
    lost_to_expiry: int

    @classmethod
    def of(cls, metrics: Metrics) -> StoryMetrics:
        """Read ``metrics`` once the story has run (the mapping keeps changing its own)."""
        return cls(metrics.invocations, metrics.failed_invocations, metrics.redeliveries,
                   frozen_mapping(metrics.discarded), metrics.lost_to_expiry)


@dataclass(frozen=True)
class Story:
    """What a scenario did: the mapping's metrics and the series the figures draw (frozen: a
    cached story is shared)."""

    metrics: StoryMetrics
    written: int  # good records (or messages) written
    bad: int  # poison pills written
    good_processed: int
    sample_h: tuple[float, ...]
    iterator_age_h: tuple[float, ...]  # the worst in each sample (a queue's story: none)
    processed: tuple[int, ...]  # records processed by each sample
    lost: tuple[int, ...]  # records expired unprocessed by then (SQS: in the DLQ by then)
    destination: int  # invocation records (Kinesis) or messages (SQS DLQ) kept aside


def _kinesis_config(max_retries, max_age_s, bisect, report, destination) -> dict:
    config = {"BatchSize": STORY_BATCH_SIZE, "MaximumRetryAttempts": max_retries,
              "MaximumRecordAgeInSeconds": max_age_s, "BisectBatchOnFunctionError": bisect}
    if report:
        config["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
    if destination:
        config["DestinationConfig"] = {"OnFailure": {
            "Destination": queue_arn(DESTINATION)}}
    return config


@lru_cache(maxsize=64)
def shard_story(max_retries: int = -1, max_age_s: int = -1, bisect: bool = False,
                report: bool = False, destination: bool = False, headroom: float = HEADROOM,
                hours: float = STORY_HOURS) -> Story:
    """One shard, a steady producer, one poison pill: run the mapping with these settings
    (AWS's defaults unless changed) for ``hours`` of simulated time."""
    clock = SimClock()
    with aws_sandbox(streams={STREAM: 1}, queues=[DESTINATION], clock=clock) as aws:
        kinesis = aws.client("kinesis")
        per_record_s = _seconds_per_record(headroom)
        function = Function(kinesis_handler(report=report), timeout_s=STORY_FUNCTION_TIMEOUT_S,
                            duration_s=lambda event: per_record_s * len(event["Records"]))
        mapping = KinesisEventSourceMapping(
            aws, STREAM, function,
            _kinesis_config(max_retries, max_age_s, bisect, report, destination))
        bursts = int(hours * 3600 / BURST_EVERY_S)
        good_ids: set[str] = set()

        def produce(burst: int = 0) -> None:
            records = [{"Data": POISON if (burst, i) == (POISON_BURST, POISON_INDEX) else
                        json.dumps({"order": burst * BURST_RECORDS + i}).encode(),
                        "PartitionKey": f"customer-{i}"} for i in range(BURST_RECORDS)]
            answer = kinesis.put_records(StreamName=STREAM, Records=records)
            good_ids.update(f"{entry['ShardId']}:{entry['SequenceNumber']}"
                            for record, entry in zip(records, answer["Records"], strict=True)
                            if record["Data"] != POISON)
            if burst + 1 < bursts:
                mapping.timeline.after(BURST_EVERY_S, lambda: produce(burst + 1))

        mapping.timeline.at(0, produce)
        sample_h, iterator_age_h, processed, lost = [], [], [], []
        for end_s in steps(range(SAMPLE_S, int(hours * 3600) + 1, SAMPLE_S),
                           "10-minute samples of the shard simulated"):
            mapping.run(until_s=end_s)
            recent = [age for t, age in mapping.metrics.iterator_age if t > end_s - SAMPLE_S]
            sample_h.append(end_s / 3600)
            iterator_age_h.append(max(recent, default=0.0) / 3600)
            processed.append(len(mapping.metrics.processed))
            lost.append(mapping.metrics.lost_to_expiry)
        return Story(StoryMetrics.of(mapping.metrics), written=bursts * BURST_RECORDS - 1,
                     bad=1, good_processed=len(good_ids & set(mapping.metrics.processed)),
                     sample_h=tuple(sample_h), iterator_age_h=tuple(iterator_age_h),
                     processed=tuple(processed), lost=tuple(lost),
                     destination=mapping.metrics.sent_to_destination)


@lru_cache(maxsize=64)
def queue_story(visibility_timeout_s: int = QUEUE_VISIBILITY_S, function_s: float = 10.0,
                max_receive_count: int = 5, report: bool = True, messages: int = 60,
                poison_every: int = 20, minutes: int = 30,
                function_timeout_s: int = QUEUE_FUNCTION_TIMEOUT_S) -> Story:
    """A queue of jobs with a poison pill every ``poison_every`` messages, a DLQ after
    ``max_receive_count`` receives, and a function that runs ``function_s`` per batch,
    timing out after ``function_timeout_s``: who gets processed, how often, and what ends in
    the DLQ. A function timeout over the visibility timeout raises ``InvalidParameterValue``,
    as Lambda refuses such a mapping."""
    clock = SimClock()
    with aws_sandbox(queues=[DLQ], clock=clock) as aws:
        sqs = aws.client("sqs")
        # A message keeps its first enqueue time in a standard queue's DLQ: the DLQ keeps
        # messages longer than the source queue (its default, 4 days), or they expire early.
        sqs.set_queue_attributes(QueueUrl=aws.queue_urls[DLQ], Attributes={
            "MessageRetentionPeriod": str(SQS_MAX_RETENTION_S)})
        redrive = {"deadLetterTargetArn": aws.queue_arn(DLQ),
                   "maxReceiveCount": max_receive_count}
        url = sqs.create_queue(QueueName=QUEUE, Attributes={
            "VisibilityTimeout": str(visibility_timeout_s),
            "RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
        bad = 0
        for number in range(messages):
            poison = number % poison_every == poison_every - 1
            bad += poison
            body = POISON.decode() if poison else json.dumps({"job": number})
            sqs.send_message(QueueUrl=url, MessageBody=body)
        config = {"FunctionResponseTypes": ["ReportBatchItemFailures"]} if report else {}
        mapping = SqsEventSourceMapping(
            aws, QUEUE, Function(sqs_handler(report=report), timeout_s=function_timeout_s,
                                 duration_s=function_s), config)
        sample_h, processed, in_dlq = [], [], []
        for end_s in steps(range(60, minutes * 60 + 1, 60), "minutes of the queue simulated"):
            mapping.run(until_s=end_s)
            sample_h.append(end_s / 3600)
            processed.append(len(mapping.metrics.processed))
            in_dlq.append(mapping.queue_depth(aws.queue_urls[DLQ]))
        return Story(StoryMetrics.of(mapping.metrics), written=messages - bad, bad=bad,
                     good_processed=len(mapping.metrics.processed), sample_h=tuple(sample_h),
                     iterator_age_h=(), processed=tuple(processed), lost=tuple(in_dlq),
                     destination=mapping.queue_depth(aws.queue_urls[DLQ]))


# The figures: plain functions that draw on the axes they are given.

def plot_shard_story(ax_age, ax_records, story) -> None:
    """A shard with a poison pill: how far behind the mapping is, and where records went."""
    hours = story.sample_h
    ax_age.fill_between(hours, story.iterator_age_h, color=WARN, alpha=0.5, step="post")
    ax_age.set_ylim(0, 25)
    style(ax_age, "Iterator age: how old the records the function sees are", "time (h)",
          "iterator age (h)")
    written = [min(story.written + story.bad, h * 3600 / 30) for h in hours]
    ax_records.plot(hours, written, color=NEUTRAL, label="written")
    ax_records.plot(hours, story.processed, color=GOOD, label="processed")
    ax_records.plot(hours, story.lost, color=BAD, label="lost to expiry")
    metrics = story.metrics
    ax_records.legend(loc="upper left")
    style(ax_records, f"{story.good_processed:,} of {story.written:,} good records processed"
          f"\n{metrics.invocations:,} invocations, {metrics.redeliveries:,} redeliveries, "
          f"{story.destination} sent to the destination", "time (h)", "records")


def plot_queue_story(ax, story) -> None:
    """A queue with poison pills: messages processed and messages parked in the DLQ."""
    minutes = [h * 60 for h in story.sample_h]
    ax.axhline(story.written, color=NEUTRAL, linestyle=":", label="good messages sent")
    ax.step(minutes, story.processed, where="post", color=GOOD, label="processed (deleted)")
    ax.step(minutes, story.lost, where="post", color=BAD, linestyle="--", label="in the DLQ")
    ax.legend(loc="center right")
    metrics = story.metrics
    style(ax, f"{metrics.invocations} invocations, {metrics.failed_invocations} failed, "
          f"{metrics.redeliveries} redeliveries; {story.bad} poison pills sent, "
          f"{story.destination} messages in the DLQ", "time (min)", "messages")


# The widgets: a drawing function with keyword defaults, and its controls.

RETRY_CHOICES = [("-1 (until expiry)", -1), ("0", 0), ("2", 2), ("10", 10)]

AGE_CHOICES = [("-1 (until expiry)", -1), ("1 min", 60), ("1 h", 3600), ("6 h", 21600)]


def draw_shard_story(max_retries=-1, max_age_s=-1, bisect=False, report=False,
                     destination=False, headroom=1.5):
    """A day and more of a shard with one poison pill, under these mapping settings."""
    story = shard_story(max_retries, max_age_s, bisect, report, destination, headroom)
    figure, (ax_age, ax_records) = new_figure(
        11, 3.4, "With AWS's defaults, one bad record holds up its shard until it expires; the "
                 "mapping's settings bound the wait.",
        left=0.06, right=0.98, top=0.86, bottom=0.15, wspace=0.22, ncols=2)
    plot_shard_story(ax_age, ax_records, story)
    return figure


def shard_explorer():
    """The Kinesis mapping's settings against a poison pill: AWS's defaults first."""
    import ipywidgets as w

    return explorer(
        w, draw_shard_story,
        max_retries=w.Dropdown(options=RETRY_CHOICES, value=-1,
                               description="MaximumRetryAttempts", style=WIDE),
        max_age_s=w.Dropdown(options=AGE_CHOICES, value=-1,
                             description="MaximumRecordAgeInSeconds", style=WIDE),
        bisect=w.Checkbox(value=False, description="BisectBatchOnFunctionError"),
        report=w.Checkbox(value=False, description="ReportBatchItemFailures"),
        destination=w.Checkbox(value=False, description="OnFailure destination"),
        headroom=w.SelectionSlider(options=[1.0, 1.1, 1.5, 2.0, 4.0], value=1.5,
                                   description="capacity ×", style=WIDE),
    )


def plot_refused_queue(ax, refusal: InvalidParameterValue, visibility_timeout_s: int,
                       function_timeout_s: int) -> None:
    """No run to draw: Lambda refuses the mapping. Say so, in Lambda's words, and why."""
    ax.set_axis_off()
    ax.text(0.0, 0.78, "CreateEventSourceMapping fails: Lambda refuses this mapping.",
            color=BAD, fontsize=12, weight="bold", transform=ax.transAxes)
    ax.text(0.0, 0.58, f"InvalidParameterValueException: {refusal}", family="monospace",
            transform=ax.transAxes)
    ax.text(0.0, 0.18,
            f"The function may run for up to {function_timeout_s} s, but the queue hides a "
            f"message for only {visibility_timeout_s} s, so the message could come back while\n"
            "the function still works on it. Lambda checks this when a mapping is created or "
            "updated. Raise the visibility timeout to at least\n"
            f"{SQS_VISIBILITY_PER_FUNCTION_TIMEOUT} × the function timeout "
            f"({SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * function_timeout_s} s), "
            "as AWS recommends, or lower the function timeout.",
            transform=ax.transAxes, va="bottom")


def queue_caption(visibility_timeout_s: int, function_timeout_s: int, function_s: float,
                  refused: bool) -> str:
    """What to notice in the queue's figure, for these settings."""
    recommended_s = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * function_timeout_s
    if refused:
        return ("A function timeout longer than the visibility timeout: AWS refuses the "
                "mapping, so nothing runs.")
    if function_s > function_timeout_s:
        return ("Every batch times out: its good jobs were done, yet come back to be done again, "
                "and end in the DLQ.")
    if visibility_timeout_s < recommended_s:
        return (f"Accepted, but under AWS's {SQS_VISIBILITY_PER_FUNCTION_TIMEOUT}× "
                f"({recommended_s} s): too little room to retry a throttled batch (the "
                "emulator never throttles, so this run cannot show it).")
    return ("Only poison pills belong in the DLQ; good messages there, or redelivered again "
            "and again, are work lost or repeated.")


def draw_queue_story(visibility_timeout_s=QUEUE_VISIBILITY_S,
                     function_timeout_s=QUEUE_FUNCTION_TIMEOUT_S, function_s=10,
                     max_receive_count=5, report=True):
    """A queue with poison pills under these settings: processed, redelivered, parked; or,
    for a mapping AWS refuses, the refusal."""
    try:
        story = queue_story(visibility_timeout_s, float(function_s), max_receive_count, report,
                            function_timeout_s=function_timeout_s)
        refusal = None
    except InvalidParameterValue as error:  # the emulator refuses it, as Lambda does
        story, refusal = None, error
    figure, ax = new_figure(
        10, 3.2, queue_caption(visibility_timeout_s, function_timeout_s, function_s,
                               refused=story is None),
        left=0.07, right=0.98, top=0.88, bottom=0.16)
    if story is None:
        plot_refused_queue(ax, refusal, visibility_timeout_s, function_timeout_s)
    else:
        plot_queue_story(ax, story)
    return figure


def queue_explorer():
    """Visibility timeout, function timeout and run time, maxReceiveCount and partial batch
    responses. Every combination can be chosen: those Lambda refuses show the refusal."""
    import ipywidgets as w

    return explorer(
        w, draw_queue_story,
        visibility_timeout_s=w.SelectionSlider(
            options=[10, 30, 60, 120, QUEUE_VISIBILITY_S, 300], value=QUEUE_VISIBILITY_S,
            description="visibility timeout (s)", style=WIDE),
        function_timeout_s=w.SelectionSlider(
            options=[5, 10, 20, QUEUE_FUNCTION_TIMEOUT_S, 60], value=QUEUE_FUNCTION_TIMEOUT_S,
            description="function timeout (s)", style=WIDE),
        function_s=w.SelectionSlider(options=[1, 5, 10, 20, 50], value=10,
                                     description="run time per batch (s)", style=WIDE),
        max_receive_count=w.IntSlider(value=5, min=1, max=10, description="maxReceiveCount",
                                      style=WIDE),
        report=w.Checkbox(value=True, description="ReportBatchItemFailures"),
    )


# -- Setting permanent failures aside ----------------------------------------------------------

def set_aside(process, park):
    """``process``, but a record that can never succeed (``PoisonRecord``) is handed to
    ``park`` and counts as done: the handler reports no failure for it, so the mapping has
    nothing to retry and the shard (or queue) moves on. Any other error still raises, to be
    reported and retried: it may be transient."""

    def process_or_park(data: bytes):
        try:
            return process(data)
        except PoisonRecord:
            park(data)
            return None

    return process_or_park


# -- Running a handler written for AWS: what it answered, what was done how often --------------

# An SQS mapping that reads partial batch responses, with the fewest pollers Lambda allows
# (plenty for a handful of messages, and fewer empty polls to simulate).
PARTIAL_RESPONSES = {"FunctionResponseTypes": [REPORT_BATCH_ITEM_FAILURES],
                     "ScalingConfig": {"MaximumConcurrency": SQS_MAPPING_CONCURRENCY_RANGE[0]}}

@dataclass(frozen=True)
class HandlerRun:
    """One handler run by an emulated mapping over moto: each response it returned, how often
    each record (by its data) reached the handler and was done, and what the mapping put
    aside."""

    responses: tuple
    names: Mapping[str, str]  # a record's id (messageId, sequence number) -> its data
    delivered: Mapping[str, int]  # data -> times handed to the function
    done: Mapping[str, int]  # data -> times the mapping counted it done (deleted / passed)
    aside: tuple[str, ...]  # SQS: the bodies in the DLQ; Kinesis: the records discarded


def _recording(handler, responses: list):
    """``handler``, keeping each response it returns."""

    def recorded(event, context):
        response = handler(event, context)
        responses.append(response)
        return response

    return recorded


def sqs_run(handler, bodies, minutes: int = 5) -> HandlerRun:
    """Send ``bodies`` to a queue whose DLQ takes a message after 5 receives, and run
    ``handler`` on it for ``minutes`` with ``ReportBatchItemFailures`` on."""
    responses: list = []
    with aws_sandbox(queues=[DLQ], clock=SimClock()) as aws:
        sqs = aws.client("sqs")
        url = sqs.create_queue(QueueName=QUEUE, Attributes={"RedrivePolicy": json.dumps({
            "deadLetterTargetArn": aws.queue_arn(DLQ),
            "maxReceiveCount": SQS_MIN_MAX_RECEIVE_COUNT})})["QueueUrl"]
        ids = {sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"]: body
               for body in bodies}
        mapping = SqsEventSourceMapping(aws, QUEUE, _recording(handler, responses),
                                        PARTIAL_RESPONSES)
        metrics = mapping.run(until_s=minutes * 60)
        return HandlerRun(
            tuple(responses), frozen_mapping(ids),
            frozen_mapping({ids[i]: n for i, n in metrics.deliveries.items()}),
            frozen_mapping({ids[i]: n for i, n in metrics.processed.items()}),
            tuple(drain_queue(sqs, aws.queue_urls[DLQ])))


def kinesis_run(handler, records, config: Mapping | None = None) -> HandlerRun:
    """Put ``records`` (bytes) on a one-shard stream and run ``handler`` on it under
    ``config`` (AWS's defaults unless given; an on-failure destination may name the chapter's
    ``orders-failures`` queue) until nothing is left to do."""
    responses: list = []
    with aws_sandbox(streams={STREAM: 1}, queues=[DESTINATION], clock=SimClock()) as aws:
        answer = aws.client("kinesis").put_records(StreamName=STREAM, Records=[
            {"Data": data, "PartitionKey": "customer-7"} for data in records])
        ids = {f"{entry['ShardId']}:{entry['SequenceNumber']}": data.decode(errors="replace")
               for data, entry in zip(records, answer["Records"], strict=True)}
        metrics = KinesisEventSourceMapping(aws, STREAM, _recording(handler, responses),
                                            config).run()
        return HandlerRun(
            tuple(responses),
            frozen_mapping({event_id.split(":")[1]: data for event_id, data in ids.items()}),
            frozen_mapping({ids[i]: n for i, n in metrics.deliveries.items()}),
            frozen_mapping({ids[i]: n for i, n in metrics.processed.items()}),
            tuple(ids[i] for i in metrics.discarded))


# -- The redrive exercise, and the DLQ retention pitfall ----------------------------------------

ORDERS = "orders"
ORDERS_DLQ = "orders-dlq"
ORDER_BODIES = tuple(json.dumps({"order": n, "currency": "EUR" if n % 3 == 2 else "USD"})
                     for n in range(6))  # every third order is in euros
FIX_MINUTES = 10  # how long each consumer runs: long enough for 5 receives 30 s apart


def parse_order_v1(data: bytes) -> dict:
    """The consumer's first release, with a bug: it refuses every order in euros. Not a
    poison pill, a fixable failure: once the fix ships, these orders can be redriven."""
    order = parse_order(data)
    if order.get("currency") != "USD":
        raise ValueError(f"unsupported currency {order.get('currency')!r}")
    return order


def _orders_world(aws, dlq_retention_s: int = SQS_MAX_RETENTION_S,
                  source_retention_s: int = SQS_DEFAULT_RETENTION_S) -> str:
    """The exercise's queues: ``orders``, whose redrive policy sends a message to
    ``orders-dlq`` after 5 receives, each with its retention. Returns the source's URL."""
    sqs = aws.client("sqs")
    sqs.create_queue(QueueName=ORDERS_DLQ, Attributes={
        "MessageRetentionPeriod": str(dlq_retention_s)})
    return sqs.create_queue(QueueName=ORDERS, Attributes={
        "MessageRetentionPeriod": str(source_retention_s),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": aws.queue_arn(ORDERS_DLQ),
                                     "maxReceiveCount": SQS_MIN_MAX_RECEIVE_COUNT})})["QueueUrl"]


def _consumer(aws, process) -> SqsEventSourceMapping:
    """Lambda on the orders queue, reporting each order ``process`` fails."""
    return SqsEventSourceMapping(aws, ORDERS, sqs_handler(process), PARTIAL_RESPONSES)


@dataclass(frozen=True)
class Verdict:
    """What a self-check found: shown as its message."""

    passed: bool
    message: str

    def __repr__(self) -> str:
        return ("Passed. " if self.passed else "Not yet. ") + self.message


def check_redrive(redrive) -> Verdict:
    """Run the exercise against ``redrive(sqs, dlq_arn, source_arn)``: the first release
    parks the orders in euros in the DLQ, the fix ships, ``redrive`` runs, and the fixed
    consumer works the queue. Did every order get done, and how were they moved?"""
    from botocore.exceptions import ClientError

    clock = SimClock()
    with aws_sandbox(clock=clock) as aws:
        sqs = aws.client("sqs")
        url = _orders_world(aws)
        for body in ORDER_BODIES:
            sqs.send_message(QueueUrl=url, MessageBody=body)
        first_release = _consumer(aws, parse_order_v1)
        first_release.run(until_s=FIX_MINUTES * 60)
        dlq_url = sqs.get_queue_url(QueueName=ORDERS_DLQ)["QueueUrl"]
        parked = first_release.queue_depth(dlq_url)
        dlq_arn = aws.queue_arn(ORDERS_DLQ)
        try:
            redrive(sqs, dlq_arn=dlq_arn, source_arn=aws.queue_arn(ORDERS))
        except ClientError as error:
            return Verdict(False, _explain_refusal(error.response["Error"]))
        except Exception as error:  # noqa: BLE001 - the learner's code: report, do not crash
            return Verdict(False, f"Your redrive raised {type(error).__name__}: {error}")
        tasks = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"]
        fixed = _consumer(aws, parse_order)
        done = len(fixed.run(until_s=clock.now() + FIX_MINUTES * 60).processed)
        left = fixed.queue_depth(dlq_url)
    return _redrive_verdict(parked, left, done, bool(tasks))


def _explain_refusal(error: Mapping) -> str:
    """What an SQS refusal of the redrive means for the exercise."""
    said = f"SQS refused the call: {error['Code']}: {error['Message']}"
    if "Dead Letter Queue" in error["Message"]:
        return (f"{said} SourceArn names the queue the messages leave, the DLQ (dlq_arn); "
                "DestinationArn the queue they go back to (source_arn).")
    return said


def _redrive_verdict(parked: int, left: int, done: int, by_task: bool) -> Verdict:
    """The verdict on a redrive, from what the queues hold afterwards."""
    if left == parked:
        return Verdict(False, f"The DLQ still holds the {parked} orders in euros: nothing "
                              "moved. Call sqs.start_message_move_task with the DLQ as "
                              "SourceArn and the orders queue as DestinationArn.")
    if left:
        return Verdict(False, f"{parked - left} of {parked} orders moved; {left} are still "
                              "in the DLQ.")
    how = ("by a message move task." if by_task else
           "by hand. That works; StartMessageMoveTask does the same for you, at a rate you "
           "can cap, and ListMessageMoveTasks shows its progress.")
    return Verdict(True, f"All {parked} orders in euros left the DLQ, {how} The fixed "
                         f"consumer then did them: {done} orders done after the redrive.")


def dlq_deletes_at_s(sent_s: float, moved_s: float, dlq_retention_s: float,
                     fifo: bool = False) -> float:
    """When a DLQ deletes a message, by SQS's documented rule: a standard queue's message
    keeps its first enqueue time, so it goes ``dlq_retention_s`` after it was *sent*; a FIFO
    queue's gets a new one when it moves, so it goes that long after it *moved*."""
    return (moved_s if fifo else sent_s) + dlq_retention_s


CONSUMER_BACK_S = 3 * SECONDS_PER_DAY  # the consumer was down for 3 days...
FIXED_S = 4.5 * SECONDS_PER_DAY  # ...and the fix for its bug ships on day 4.5


@dataclass(frozen=True)
class RetentionStory:
    """An order in euros, its consumer down for days, then a redrive once the fix ships:
    when each thing happened (simulated seconds) and what the redrive found."""

    dlq_retention_s: int
    sent_s: float  # the order's SentTimestamp, as the DLQ reports it
    in_dlq_s: float  # when it reached the DLQ
    redrive_s: float  # when the redrive ran
    redriven: int  # orders the redrive moved back
    done: int  # orders the fixed consumer then did
    resent_s: float | None  # the redriven order's new SentTimestamp (None: nothing moved)


def retention_story(dlq_retention_s: int = SQS_DEFAULT_RETENTION_S,
                    source_retention_s: int = SQS_DEFAULT_RETENTION_S) -> RetentionStory:
    """Run the pitfall on moto in simulated time: an order sent at 0 waits while the
    consumer is down, fails 5 times when it comes back on day 3, moves to the DLQ, and is
    redriven with StartMessageMoveTask on day 4.5, when the fix ships."""
    clock = SimClock()
    with aws_sandbox(clock=clock) as aws:
        sqs = aws.client("sqs")
        url = _orders_world(aws, dlq_retention_s, source_retention_s)
        sqs.send_message(QueueUrl=url, MessageBody=ORDER_BODIES[2])  # in euros
        dlq_url = sqs.get_queue_url(QueueName=ORDERS_DLQ)["QueueUrl"]
        clock.advance(CONSUMER_BACK_S)
        first_release = _consumer(aws, parse_order_v1)
        while not first_release.queue_depth(dlq_url):
            first_release.run(until_s=clock.now() + 60)
        in_dlq_s = clock.now()  # to the minute
        sent_s = sim_s(_sent_timestamp_s(sqs, dlq_url))
        clock.advance(FIXED_S - clock.now())
        sqs.start_message_move_task(SourceArn=aws.queue_arn(ORDERS_DLQ),
                                           DestinationArn=aws.queue_arn(ORDERS))
        moved = sqs.list_message_move_tasks(SourceArn=aws.queue_arn(ORDERS_DLQ))["Results"][0][
            "ApproximateNumberOfMessagesMoved"]
        resent_s = sim_s(_sent_timestamp_s(sqs, url)) if moved else None
        fixed = _consumer(aws, parse_order)
        done = len(fixed.run(until_s=clock.now() + FIX_MINUTES * 60).processed)
    return RetentionStory(dlq_retention_s, sent_s, in_dlq_s, FIXED_S, moved, done, resent_s)


def _sent_timestamp_s(sqs, queue_url: str) -> float:
    """The SentTimestamp (Unix seconds) of the message a queue holds, looked at without
    hiding it (a visibility timeout of 0)."""
    message = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=0,
                                  MessageSystemAttributeNames=["SentTimestamp"])["Messages"][0]
    return int(message["Attributes"]["SentTimestamp"]) / 1000
