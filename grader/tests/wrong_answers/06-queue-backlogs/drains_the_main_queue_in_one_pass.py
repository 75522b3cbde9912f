"""One pass keeps receiving from the main queue until it is empty."""

BELIEVED = "A pass should empty the main queue before it returns."
VIOLATES = ["3.1"]

EDITS = {
    'consume_batch': [('''    for name in ("main", "low"):
        messages = sqs.receive_message(
            QueueUrl=queues[name], MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],
        ).get("Messages", [])
        if messages:
            break''', '''    for name in ("main", "low"):
        messages = []
        while True:
            page = sqs.receive_message(
                QueueUrl=queues[name], MaxNumberOfMessages=10,
                MessageSystemAttributeNames=["SentTimestamp"], MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not page:
                break
            messages += page
        if messages:
            break''')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'one pass should receive 10',
}
