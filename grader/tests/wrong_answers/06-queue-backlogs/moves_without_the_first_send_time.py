"""A deferred message is moved without OriginalSentTimestamp, so it looks new in the low queue."""

EDITS = {
    'consume_batch': [('''                sqs.send_message(QueueUrl=queues["low"], MessageBody=message["Body"],
                                 MessageAttributes={"OriginalSentTimestamp": original})''',
                       '''                sqs.send_message(QueueUrl=queues["low"], MessageBody=message["Body"])''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'OriginalSentTimestamp',
    'test_moved_messages_keep_their_age': 'should be expired',
}
