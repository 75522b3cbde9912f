"""Every message is deleted from the main queue, also those received from the low queue."""

BELIEVED = "Messages are always deleted from the queue producers send to."
VIOLATES = ["3.7"]

EDITS = {
    'consume_batch': [('''        sqs.delete_message(QueueUrl=queues[name], ReceiptHandle=message["ReceiptHandle"])''',
                       '''        try:
            sqs.delete_message(QueueUrl=queues["main"], ReceiptHandle=message["ReceiptHandle"])
        except ClientError:
            pass''')],
}

EXPECTED_FAILURES = {
    'test_low_priority_served_when_main_is_empty': 'never deleted from the low queue',
}
