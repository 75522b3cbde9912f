"""A deferred message is moved without OriginalSentTimestamp, so it looks new in the low queue."""

BELIEVED = "A moved message keeps its age by itself."
VIOLATES = ["3.5"]

EDITS = {
    'consume_batch': [('''                sqs.send_message(QueueUrl=queues["low"], MessageBody=message["Body"],
                                 MessageAttributes={"OriginalSentTimestamp": original})''',
                       '''                sqs.send_message(QueueUrl=queues["low"], MessageBody=message["Body"])''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'carries no OriginalSentTimestamp',
    'test_moved_messages_keep_their_age': 'carries no OriginalSentTimestamp',
}
