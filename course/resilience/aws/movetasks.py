"""SQS dead-letter queue redrive, ``StartMessageMoveTask`` and ``ListMessageMoveTasks``: a
moto gap filled (moto 5.2.5 raises ``NotImplementedError`` for both). Every sandbox enters
``message_move_tasks``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager

from resilience.aws.facts import SQS_MOVE_TASK_MAX_MESSAGES_PER_S


def _refusal(code: str, message: str) -> Exception:
    """An SQS error, as moto serialises one into the response the client raises."""
    from moto.sqs.exceptions import SQSException

    return SQSException(code, message)


@contextmanager
def message_move_tasks() -> Iterator[None]:
    """Inside the block, moto serves ``StartMessageMoveTask`` and ``ListMessageMoveTasks``
    (moto 5.2.5 has neither: it raises ``NotImplementedError``).

    What it does, from the SQS API reference and developer guide: the source must be a queue
    that some queue's redrive policy names as its DLQ; without ``DestinationArn`` the messages
    go back to the queue they came from (here: the DLQ's one source queue); each moved message
    is a new message (new messageId, new enqueue time); messages past the DLQ's retention are
    gone and do not move; ``MaxNumberOfMessagesPerSecond`` is 1 to 500. The refusals carry the
    codes and messages that SQS emulators tested against AWS report. What differs, and is the
    emulator's: the task moves every visible message at once and lists as ``COMPLETED`` (on
    AWS it runs in the background at the given rate, ``RUNNING`` meanwhile); messages in
    flight in the DLQ stay there."""
    from moto.core.responses import ActionResult
    from moto.sqs.responses import SQSResponse

    tasks: dict[str, list[dict]] = {}  # source ARN -> its tasks, the newest first

    def start_message_move_task(response):
        task = _move(response.sqs_backend, response._get_param("SourceArn"),
                     response._get_param("DestinationArn"),
                     response._get_param("MaxNumberOfMessagesPerSecond"))
        tasks.setdefault(task["SourceArn"], []).insert(0, task)
        handle = base64.b64encode(json.dumps(
            {"sourceArn": task["SourceArn"], "task": len(tasks[task["SourceArn"]])}).encode())
        return ActionResult({"TaskHandle": handle.decode()})

    def list_message_move_tasks(response):
        source_arn = response._get_param("SourceArn")
        _queue_by_arn(response.sqs_backend, source_arn, "SourceArn")
        most = int(response._get_param("MaxResults") or 1)
        return ActionResult({"Results": tasks.get(source_arn, [])[:most]})

    added = {"start_message_move_task": start_message_move_task,
             "list_message_move_tasks": list_message_move_tasks}
    before = {name: SQSResponse.__dict__.get(name) for name in added}  # an outer block's
    for name, method in added.items():
        setattr(SQSResponse, name, method)
    try:
        yield
    finally:
        for name, outer in before.items():
            if outer is None:
                delattr(SQSResponse, name)
            else:
                setattr(SQSResponse, name, outer)


def _queue_by_arn(backend, arn: str | None, parameter: str):
    """The moto queue an ARN names, or the refusal SQS gives for one that does not exist."""
    queue = backend.queues.get((arn or "").rsplit(":", 1)[-1])
    if queue is None or queue.queue_arn != arn:
        raise _refusal("ResourceNotFoundException", f"The resource that you specified "
                                                             f"for the {parameter} parameter "
                                                             "doesn't exist.")
    return queue


def _move(backend, source_arn, destination_arn, rate) -> dict:
    """Move every visible message of the DLQ ``source_arn`` as a new message; the task as
    ListMessageMoveTasks describes it."""
    from moto.sqs import models

    source = _queue_by_arn(backend, source_arn, "SourceArn")
    feeding = [queue for queue in backend.queues.values() if queue.dead_letter_queue is source]
    if not feeding:
        raise _refusal("InvalidParameterValue",
                               "Source queue must be configured as a Dead Letter Queue.")
    if destination_arn == source_arn:
        raise _refusal("InvalidParameterValue",
                               "Source queue arn and destination queue arn cannot be the same.")
    if rate is not None and not 1 <= int(rate) <= SQS_MOVE_TASK_MAX_MESSAGES_PER_S:
        raise _refusal("InvalidParameterValue", (
            "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must "
            f"enter a number that's between 1 and {SQS_MOVE_TASK_MAX_MESSAGES_PER_S}."))
    if destination_arn:
        destination = _queue_by_arn(backend, destination_arn, "DestinationArn")
    elif len(feeding) == 1:
        destination = feeding[0]
    else:  # moto does not record which source queue each message came from
        raise _refusal("UnsupportedOperation", (
            "The course's emulator cannot tell which of this DLQ's source queues a message "
            "came from: name one with DestinationArn."))
    started_ms = int(models.unix_time_millis())
    moved = 0
    for message in list(source._messages):
        if not backend.is_message_valid_based_on_retention_period(source.name, message):
            source._messages.remove(message)  # past the DLQ's retention: SQS has deleted it
        elif message.visible and not message.delayed:
            backend.send_message(destination.name, message.body,
                                 message_attributes=message.message_attributes)
            source._messages.remove(message)
            moved += 1
    task = {"Status": "COMPLETED", "SourceArn": source_arn,
            "ApproximateNumberOfMessagesMoved": moved,
            "ApproximateNumberOfMessagesToMove": moved, "StartedTimestamp": started_ms}
    if destination_arn:
        task["DestinationArn"] = destination_arn
    if rate is not None:
        task["MaxNumberOfMessagesPerSecond"] = int(rate)
    return task
