"""The poller stays on a queue until it is empty, so a hot tenant's deep queue starves the rest."""

BELIEVED = "A poller should empty a queue before moving on to the next."
VIOLATES = ["4.1"]

EDITS = {
    'make_poller': [('''        url = queue_urls[turn % len(queue_urls)]
        turn += 1
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])''', '''        url = queue_urls[turn % len(queue_urls)]
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            turn += 1''')],
}

EXPECTED_FAILURES = {
    'test_poller_is_fair': 'from the next queue in turn',
}
