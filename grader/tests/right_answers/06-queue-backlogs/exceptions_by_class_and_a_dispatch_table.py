"""A dispatch table of handlers, botocore's exception class caught by module, print()s."""

ANSWERS = {
    'triage': '''
def triage(age_s, fresh_s, expire_s):
    """What to do with a message of this age: "serve", "defer" or "expire"."""
    return "serve" if age_s <= fresh_s else ("expire" if age_s > expire_s else "defer")
''',
    'consume_batch': '''
import botocore.exceptions


def consume_batch(sqs, queues, process, now, fresh_s, expire_s):
    """One pass over the main queue (or the low queue when main is empty): serve fresh
    work, move old work aside, expire stale work; return how many messages it received."""
    def copy_to(queue, message, reason=None):
        attributes = {"OriginalSentTimestamp": (message.get("MessageAttributes") or {}).get(
            "OriginalSentTimestamp", {"DataType": "Number",
                                      "StringValue": message["Attributes"]["SentTimestamp"]})}
        if reason:
            attributes["Reason"] = {"DataType": "String", "StringValue": reason}
        sqs.send_message(QueueUrl=queues[queue], MessageBody=message["Body"],
                         MessageAttributes=attributes)

    handlers = {
        "serve": lambda m: process(m["Body"]),
        "defer": lambda m: copy_to("low", m),
        "expire": lambda m: copy_to("audit", m, reason="too old to serve"),
    }
    for name in ["main", "low"]:
        reply = sqs.receive_message(QueueUrl=queues[name], MaxNumberOfMessages=10,
                                    MessageSystemAttributeNames=["SentTimestamp"],
                                    MessageAttributeNames=["All"])
        messages = reply.get("Messages") or []
        if len(messages) > 0:
            break
    else:
        print("nothing to do")
        return 0
    for m in messages:
        verdict = triage(message_age_s(m, now()), fresh_s, expire_s)
        if name == "low" and verdict == "defer":
            verdict = "serve"
        try:
            handlers[verdict](m)
        except botocore.exceptions.ClientError as error:
            print("left in", name, "because", error.response["Error"]["Code"])
            continue
        sqs.delete_message(QueueUrl=queues[name], ReceiptHandle=m["ReceiptHandle"])
    return len(messages)
''',
}
