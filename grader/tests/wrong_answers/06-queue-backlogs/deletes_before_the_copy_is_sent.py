"""The message is deleted before its copy is sent: a failed send loses it for good."""

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
    'test_failed_moves_lose_nothing': 'Delete a message only after the send succeeded',
    'test_every_message_accounted_for': 'vanished',
}
