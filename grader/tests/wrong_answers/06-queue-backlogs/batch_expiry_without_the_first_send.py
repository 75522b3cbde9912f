"""Moves go out in checked batches, but expired copies carry only a Reason, not
OriginalSentTimestamp."""

BELIEVED = "Nobody reads the audit queue's ages, so only the reason matters there."
VIOLATES = ["3.6"]

ANSWERS = {
    'consume_batch': '''
def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    for source in ("main", "low"):
        messages = sqs.receive_message(QueueUrl=queues[source], MaxNumberOfMessages=10,
                                       MessageSystemAttributeNames=["All"],
                                       MessageAttributeNames=["All"]).get("Messages", [])
        if messages:
            break
    else:
        return 0

    handled, moves = [], {"low": {}, "audit": {}}
    for index, message in enumerate(messages):
        age = message_age_s(message, now())
        verdict = triage(age, fresh_s, expire_s)
        if verdict == "defer" and source == "low":
            verdict = "serve"
        if verdict == "serve":
            process(message["Body"])
            handled.append(message)
        elif verdict == "defer":
            first = (message.get("MessageAttributes", {}).get("OriginalSentTimestamp")
                     or {"DataType": "Number",
                         "StringValue": message["Attributes"]["SentTimestamp"]})
            moves["low"][str(index)] = (message, {"OriginalSentTimestamp": first})
        else:
            moves["audit"][str(index)] = (message, {"Reason": {
                "DataType": "String", "StringValue": f"expired after {age:.0f} s"}})

    for queue, entries in moves.items():
        if not entries:
            continue
        try:
            reply = sqs.send_message_batch(QueueUrl=queues[queue], Entries=[
                {"Id": key, "MessageBody": m["Body"], "MessageAttributes": attributes}
                for key, (m, attributes) in entries.items()])
        except ClientError:
            continue
        handled += [entries[ok["Id"]][0] for ok in reply.get("Successful", [])]

    for message in handled:
        sqs.delete_message(QueueUrl=queues[source], ReceiptHandle=message["ReceiptHandle"])
    return len(messages)
''',
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'carries no OriginalSentTimestamp',
}
