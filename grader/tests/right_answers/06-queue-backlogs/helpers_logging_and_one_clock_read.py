"""Nested helpers, logging, ages read once per pass, fresh work served before moves."""

ANSWERS = {
    'message_age_s': '''
def message_age_s(message, now_s):
    """Seconds since the message was first sent, wherever it has been moved since."""
    custom = message.get("MessageAttributes") or {}
    if "OriginalSentTimestamp" in custom:
        first_ms = float(custom["OriginalSentTimestamp"]["StringValue"])
    else:
        first_ms = float(message["Attributes"]["SentTimestamp"])
    return now_s - first_ms / 1000.0
''',
    'triage': '''
def triage(age_s, fresh_s, expire_s):
    """What to do with a message of this age: "serve", "defer" or "expire"."""
    if age_s <= fresh_s:
        return "serve"
    return "defer" if age_s <= expire_s else "expire"
''',
    'consume_batch': '''
import logging


def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    log = logging.getLogger("consumer")

    def receive(name):
        return sqs.receive_message(QueueUrl=queues[name], MaxNumberOfMessages=10,
                                   AttributeNames=["SentTimestamp"],
                                   MessageAttributeNames=["OriginalSentTimestamp"],
                                   ).get("Messages", [])

    def first_sent(message):
        kept = message.get("MessageAttributes", {}).get("OriginalSentTimestamp")
        return {"DataType": "Number",
                "StringValue": kept["StringValue"] if kept else
                message["Attributes"]["SentTimestamp"]}

    def move(message, queue, **extra):
        try:
            sqs.send_message(QueueUrl=queues[queue], MessageBody=message["Body"],
                             MessageAttributes={"OriginalSentTimestamp": first_sent(message),
                                                **extra})
        except ClientError as error:
            log.warning("could not move a message to %s: %s", queue, error)
            return False
        return True

    name = "main"
    messages = receive("main")
    if not messages:
        name, messages = "low", receive("low")
    at = now()  # one clock read for the whole pass
    plan = [(m, triage(message_age_s(m, at), fresh_s, expire_s)) for m in messages]
    if name == "low":
        plan = [(m, "serve" if what == "defer" else what) for m, what in plan]
    plan.sort(key=lambda item: item[1] != "serve")  # fresh work first
    for message, what in plan:
        if what == "serve":
            process(message["Body"])
            ok = True
        elif what == "defer":
            ok = move(message, "low")
        else:
            ok = move(message, "audit", Reason={
                "DataType": "String", "StringValue": "older than expire_s"})
        if ok:
            sqs.delete_message(QueueUrl=queues[name], ReceiptHandle=message["ReceiptHandle"])
    log.info("pass over %s: %d message(s)", name, len(messages))
    return len(messages)
''',
}
