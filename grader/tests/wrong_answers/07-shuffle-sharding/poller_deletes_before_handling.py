"""The poller deletes each message before handling it, so a failed one is lost."""

BELIEVED = "A message can be deleted as soon as it is received, before handling it."
VIOLATES = ["4.2", "4.3"]

EDITS = {
    'make_poller': [('''            try:
                handle(message["Body"])
            except Exception:
                continue  # left in its queue: SQS delivers it again
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])''', '''            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            try:
                handle(message["Body"])
            except Exception:
                continue''')],
}

EXPECTED_FAILURES = {
    'test_poller_keeps_failed_messages': 'already deleted',
}
