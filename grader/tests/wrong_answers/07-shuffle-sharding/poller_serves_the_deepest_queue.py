"""The poller always serves the deepest queue, which is always the hot tenant's."""

BELIEVED = "Serving the deepest queue first is the fairest way to keep backlogs down."
VIOLATES = ["4.1", "5.2"]

EDITS = {
    'make_poller': [('''        url = queue_urls[turn % len(queue_urls)]
        turn += 1''', '''        turn += 1
        url = max(queue_urls, key=lambda u: int(sqs.get_queue_attributes(
            QueueUrl=u, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
            "ApproximateNumberOfMessages"]))''')],
}

EXPECTED_FAILURES = {
    'test_poller_is_fair': 'from the next queue in turn',
    'test_hot_tenant_is_isolated': 'still waited',
}
