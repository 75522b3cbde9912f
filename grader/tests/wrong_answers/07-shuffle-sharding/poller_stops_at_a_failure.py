"""The poller lets a failed message's exception escape, and the rest of its batch waits."""

BELIEVED = "An error in handle should stop the poll, like any other error."
VIOLATES = ["4.3"]

EDITS = {
    'make_poller': [('''            try:
                handle(message["Body"])
            except Exception:
                continue  # left in its queue: SQS delivers it again
            sqs.delete_message''', '''            handle(message["Body"])
            sqs.delete_message''')],
}

EXPECTED_FAILURES = {
    'test_poller_keeps_failed_messages': 'go on with the rest',
}
