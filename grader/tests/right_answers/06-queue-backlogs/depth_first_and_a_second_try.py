"""Looks at the main queue's depth before receiving, and tries a refused send once more."""

ANSWERS = {
    'triage': '''
def triage(age_s, fresh_s, expire_s):
    """What to do with a message of this age: "serve", "defer" or "expire"."""
    for limit, verdict in ((fresh_s, "serve"), (expire_s, "defer")):
        if not age_s > limit:
            return verdict
    return "expire"
''',
    'consume_batch': '''
def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    depth = int(sqs.get_queue_attributes(
        QueueUrl=queues["main"], AttributeNames=["ApproximateNumberOfMessages"],
    )["Attributes"]["ApproximateNumberOfMessages"])
    source = "main" if depth else "low"
    messages = sqs.receive_message(QueueUrl=queues[source], MaxNumberOfMessages=10,
                                   MessageSystemAttributeNames=["All"],
                                   MessageAttributeNames=["All"]).get("Messages", [])
    for message in messages:
        age = message_age_s(message, now())
        action = triage(age, fresh_s, expire_s)
        if action == "serve" or (action == "defer" and source == "low"):
            process(message["Body"])
        else:
            target = queues["low" if action == "defer" else "audit"]
            attributes = {"OriginalSentTimestamp": {"DataType": "Number", "StringValue": str(
                round(now() * 1000 - age * 1000))}}
            if action == "expire":
                attributes["Reason"] = {"DataType": "String", "StringValue": "stale"}
            for attempt in range(2):
                try:
                    sqs.send_message(QueueUrl=target, MessageBody=message["Body"],
                                     MessageAttributes=attributes)
                    break
                except ClientError:
                    continue
            else:
                continue  # refused twice: it stays where it is
        sqs.delete_message(QueueUrl=queues[source], ReceiptHandle=message["ReceiptHandle"])
    return len(messages)
''',
}
