"""A custom Number.ms attribute type, the youngest messages handled first, deletes batched."""

ANSWERS = {
    'message_age_s': '''
from decimal import Decimal


def message_age_s(message, now_s):
    """Seconds since the message was first sent, wherever it has been moved since."""
    original = (message.get("MessageAttributes") or {}).get("OriginalSentTimestamp")
    millis = Decimal(original["StringValue"] if original is not None
                     else message["Attributes"]["SentTimestamp"])
    return float(Decimal(repr(now_s)) - millis / 1000)
''',
    'consume_batch': '''
import json


def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    where, batch = None, []
    for where in ("main", "low"):
        batch = sqs.receive_message(QueueUrl=queues[where], MaxNumberOfMessages=10,
                                    MessageSystemAttributeNames=["SentTimestamp"],
                                    MessageAttributeNames=[".*"]).get("Messages", [])
        if batch:
            break
    if not batch:
        return 0
    aged = sorted(((message_age_s(m, now()), m) for m in batch), key=lambda pair: pair[0])
    finished = []
    for age, m in aged:
        kind = triage(age, fresh_s, expire_s)
        if where == "low" and kind == "defer":
            kind = "serve"
        if kind == "serve":
            process(m["Body"])
            finished.append(m)
            continue
        kept = m.get("MessageAttributes", {}).get("OriginalSentTimestamp", {})
        first_ms = kept.get("StringValue") or m["Attributes"]["SentTimestamp"]
        attributes = {"OriginalSentTimestamp": {"DataType": "Number.ms", "StringValue": first_ms}}
        if kind == "expire":
            attributes["Reason"] = {"DataType": "String", "StringValue": json.dumps(
                {"why": "expired", "age_s": round(age, 3), "expire_s": expire_s})}
        try:
            sqs.send_message(QueueUrl=queues["audit" if kind == "expire" else "low"],
                             MessageBody=m["Body"], MessageAttributes=attributes)
        except ClientError:
            continue
        finished.append(m)
    if finished:
        sqs.delete_message_batch(QueueUrl=queues[where], Entries=[
            {"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in finished])
    return len(batch)
''',
}
