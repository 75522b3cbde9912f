"""The replay never deletes the destination's messages, so each replay repeats them."""

BELIEVED = 'Receiving a message is enough: SQS forgets it once read.'

VIOLATES = ['5.5']

EDITS = {
    'replay_failures': [
        ('            sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=message["ReceiptHandle"])\n', ''),
    ],
}

EXPECTED_FAILURES = {
    'test_replay_failures': 'still in the destination queue',
}
