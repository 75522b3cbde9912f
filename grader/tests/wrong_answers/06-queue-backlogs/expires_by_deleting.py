"""Stale messages are just deleted, with no copy in the audit queue: silently lost."""

BELIEVED = "A message too old to be worth serving can simply be dropped."
VIOLATES = ["3.6"]

EDITS = {
    'consume_batch': [('''            else:
                reason = f"expired: {age_s:.0f} s old, past {expire_s} s"
                sqs.send_message(QueueUrl=queues["audit"], MessageBody=message["Body"],
                                 MessageAttributes={
                                     "OriginalSentTimestamp": original,
                                     "Reason": {"DataType": "String", "StringValue": reason}})''',
                       '''            else:
                pass''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'should be expired (a copy sent to the audit queue',
    'test_surge': 'vanished',
}
