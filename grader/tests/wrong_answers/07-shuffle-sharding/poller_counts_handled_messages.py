"""poll() returns how many messages were handled, leaving out the ones that failed."""

BELIEVED = "A message that failed in handle was not really received."
VIOLATES = ["4.4"]

EDITS = {
    'make_poller': [('''        for message in messages:
            try:
                handle(message["Body"])
            except Exception:
                continue  # left in its queue: SQS delivers it again
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)''', '''        handled = 0
        for message in messages:
            try:
                handle(message["Body"])
            except Exception:
                continue  # left in its queue: SQS delivers it again
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1
        return handled''')],
}

EXPECTED_FAILURES = {
    'test_poller_keeps_failed_messages': 'whether handle succeeded or not',
}
