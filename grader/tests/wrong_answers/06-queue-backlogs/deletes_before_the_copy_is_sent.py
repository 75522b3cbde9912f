"""The message is deleted before its copy is sent: a failed send loses it for good."""

BELIEVED = "The order of the delete and the send does not matter, as long as both happen."
VIOLATES = ["3.7"]

EDITS = {
    'consume_batch': [('''        try:
            if action == "serve":''', '''        sqs.delete_message(QueueUrl=queues[name], ReceiptHandle=message["ReceiptHandle"])
        try:
            if action == "serve":'''),
                      ('''        except ClientError:
            continue
        sqs.delete_message(QueueUrl=queues[name], ReceiptHandle=message["ReceiptHandle"])''',
                       '''        except ClientError:
            continue''')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'was deleted from the main queue before',
    'test_failed_moves_lose_nothing': 'it is now lost',
    'test_surge': 'vanished',
}
