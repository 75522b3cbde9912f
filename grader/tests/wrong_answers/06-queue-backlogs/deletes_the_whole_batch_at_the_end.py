"""Every received message is deleted in one delete_message_batch at the end of the pass,
whether its send went through or not."""

BELIEVED = "Once a pass has looked at a message, the message is done with."
VIOLATES = ["3.7", "3.8"]

ANSWERS = {
    'consume_batch': '''
def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    url = queues["main"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                              MessageSystemAttributeNames=["SentTimestamp"],
                              MessageAttributeNames=["All"]).get("Messages", [])
    from_low = not got
    if from_low:
        url = queues["low"]
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                  MessageSystemAttributeNames=["SentTimestamp"],
                                  MessageAttributeNames=["All"]).get("Messages", [])
    if not got:
        return 0
    for m in got:
        age = message_age_s(m, now())
        action = triage(age, fresh_s, expire_s)
        if action == "serve" or (from_low and action == "defer"):
            process(m["Body"])
            continue
        attrs = {"OriginalSentTimestamp": m.get("MessageAttributes", {}).get(
            "OriginalSentTimestamp",
            {"DataType": "Number", "StringValue": m["Attributes"]["SentTimestamp"]})}
        if action == "expire":
            attrs["Reason"] = {"DataType": "String", "StringValue": f"stale: {age:.1f} s"}
        try:
            sqs.send_message(QueueUrl=queues["audit" if action == "expire" else "low"],
                             MessageBody=m["Body"], MessageAttributes=attrs)
        except ClientError as error:
            print("could not move a message:", error)
    sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
    return len(got)
''',
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'it is now lost',
    'test_surge': 'vanished',
}
