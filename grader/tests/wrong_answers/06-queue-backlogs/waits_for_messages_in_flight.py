"""The low queue waits while main has messages in flight, though none can be received."""

BELIEVED = ("Main still has work while another consumer holds some of its messages, so the "
            "low queue must wait until those are done.")
VIOLATES = ["3.2"]

EDITS = {
    'consume_batch': [('''    for name in ("main", "low"):
        messages = sqs.receive_message(''', '''    for name in ("main", "low"):
        if name == "low":
            depth = sqs.get_queue_attributes(
                QueueUrl=queues["main"],
                AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
            if int(depth["ApproximateNumberOfMessagesNotVisible"]):
                return 0
        messages = sqs.receive_message(''')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'held by another consumer',
}
