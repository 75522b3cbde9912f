"""After a message fails, the poller drops the rest of its batch until SQS delivers it again."""

BELIEVED = "Once one message of a batch fails, the rest of the batch can wait for the next delivery."
VIOLATES = ["4.3"]

EDITS = {
    'make_poller': [('                continue  # left in its queue: SQS delivers it again',
                     '                break  # the rest waits for SQS to deliver it again')],
}

EXPECTED_FAILURES = {
    'test_poller_keeps_failed_messages': 'go on with the others',
}
