"""Ages are worked out with time.time() instead of the now() the pass is given."""

BELIEVED = "now() and time.time() are the same clock."
VIOLATES = ["3.3", "3.5"]

ANSWERS = {
    'consume_batch': '''
import time


def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    def receive(url):
        reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                    MessageSystemAttributeNames=["SentTimestamp"],
                                    MessageAttributeNames=["All"])
        return reply.get("Messages", [])

    origin = "main"
    batch = receive(queues["main"])
    if not batch:
        origin, batch = "low", receive(queues["low"])
    for msg in batch:
        first = msg.get("MessageAttributes", {}).get("OriginalSentTimestamp", {
            "DataType": "Number", "StringValue": msg["Attributes"]["SentTimestamp"]})
        age = time.time() - int(first["StringValue"]) / 1000
        decision = triage(age, fresh_s, expire_s)
        if origin == "low" and decision == "defer":
            decision = "serve"
        try:
            if decision == "serve":
                process(msg["Body"])
            else:
                attributes = {"OriginalSentTimestamp": first}
                if decision == "expire":
                    attributes["Reason"] = {"DataType": "String",
                                            "StringValue": f"{age:.0f} s old"}
                sqs.send_message(QueueUrl=queues["low" if decision == "defer" else "audit"],
                                 MessageBody=msg["Body"], MessageAttributes=attributes)
        except ClientError:
            continue
        sqs.delete_message(QueueUrl=queues[origin], ReceiptHandle=msg["ReceiptHandle"])
    return len(batch)
''',
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'only the 5-second-old one',
}
