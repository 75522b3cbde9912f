"""Moves go out in send_message_batch calls, and every moved message is then deleted,
whatever the answer's Failed list says."""

BELIEVED = "A batch call that returns without raising has sent every entry."
VIOLATES = ["3.8"]

ANSWERS = {
    'consume_batch': '''
def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    source = "main"
    received = sqs.receive_message(QueueUrl=queues["main"], MaxNumberOfMessages=10,
                                   MessageSystemAttributeNames=["SentTimestamp"],
                                   MessageAttributeNames=["All"]).get("Messages", [])
    if not received:
        source = "low"
        received = sqs.receive_message(QueueUrl=queues["low"], MaxNumberOfMessages=10,
                                       MessageSystemAttributeNames=["SentTimestamp"],
                                       MessageAttributeNames=["All"]).get("Messages", [])
    if not received:
        return 0

    to_low, to_audit, done = [], [], []
    for i, msg in enumerate(received):
        age = message_age_s(msg, now())
        verdict = triage(age, fresh_s, expire_s)
        if source == "low" and verdict == "defer":
            verdict = "serve"
        first = msg.get("MessageAttributes", {}).get("OriginalSentTimestamp") or {
            "DataType": "Number", "StringValue": msg["Attributes"]["SentTimestamp"]}
        entry = {"Id": str(i), "MessageBody": msg["Body"],
                 "MessageAttributes": {"OriginalSentTimestamp": first}}
        if verdict == "serve":
            process(msg["Body"])
            done.append(msg)
        elif verdict == "defer":
            to_low.append((entry, msg))
        else:
            entry["MessageAttributes"]["Reason"] = {"DataType": "String",
                                                    "StringValue": f"too old ({age:.0f} s)"}
            to_audit.append((entry, msg))

    for queue, batch in (("low", to_low), ("audit", to_audit)):
        if not batch:
            continue
        try:
            sqs.send_message_batch(QueueUrl=queues[queue], Entries=[e for e, _ in batch])
        except ClientError:
            continue
        done.extend(m for _, m in batch)

    if done:
        sqs.delete_message_batch(QueueUrl=queues[source], Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
    return len(received)
''',
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'it is now lost',
    'test_surge': 'vanished',
}
