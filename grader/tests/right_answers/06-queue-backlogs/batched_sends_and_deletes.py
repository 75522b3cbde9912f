"""Moves and deletes go out in batches; a move counts only if its entry is Successful."""

ANSWERS = {
    'consume_batch': '''
def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    source = "main"
    messages = sqs.receive_message(QueueUrl=queues["main"], MaxNumberOfMessages=10,
                                   MessageSystemAttributeNames=["SentTimestamp"],
                                   MessageAttributeNames=["All"]).get("Messages", [])
    if not messages:
        source = "low"
        messages = sqs.receive_message(QueueUrl=queues["low"], MaxNumberOfMessages=10,
                                       MessageSystemAttributeNames=["SentTimestamp"],
                                       MessageAttributeNames=["All"]).get("Messages", [])
    if not messages:
        return 0

    done, moves = [], {"low": {}, "audit": {}}
    for index, message in enumerate(messages):
        age = message_age_s(message, now())
        verdict = triage(age, fresh_s, expire_s)
        if source == "low" and verdict == "defer":
            verdict = "serve"
        if verdict == "serve":
            process(message["Body"])
            done.append(message)
            continue
        attributes = {"OriginalSentTimestamp": message.get("MessageAttributes", {}).get(
            "OriginalSentTimestamp") or {"DataType": "Number",
                                         "StringValue": message["Attributes"]["SentTimestamp"]}}
        if verdict == "expire":
            attributes["Reason"] = {"DataType": "String",
                                    "StringValue": f"{age:.1f} s old, over {expire_s} s"}
        moves["low" if verdict == "defer" else "audit"][f"m{index}"] = (message, attributes)

    for queue, entries in moves.items():
        if not entries:
            continue
        try:
            answer = sqs.send_message_batch(QueueUrl=queues[queue], Entries=[
                {"Id": key, "MessageBody": message["Body"], "MessageAttributes": attributes}
                for key, (message, attributes) in entries.items()])
        except ClientError:
            continue
        done += [entries[entry["Id"]][0] for entry in answer.get("Successful", [])]

    if done:
        sqs.delete_message_batch(QueueUrl=queues[source], Entries=[
            {"Id": str(i), "ReceiptHandle": message["ReceiptHandle"]}
            for i, message in enumerate(done)])
    return len(messages)
''',
}
