"""The replay deletes each message as soon as it is received, before replaying its batch."""

BELIEVED = "Deleting a message first keeps a slow replay from seeing it twice."

VIOLATES = ["5.5"]

EDITS = {
    "replay_failures": [
        ('            sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=message["ReceiptHandle"])\n', ''),
        ('            info = json.loads(message["Body"])["KinesisBatchInfo"]\n',
         '            sqs.delete_message(QueueUrl=destination_url, ReceiptHandle=message["ReceiptHandle"])\n'
         '            info = json.loads(message["Body"])["KinesisBatchInfo"]\n'),
    ],
}

EXPECTED_FAILURES = {
    "test_replay_failures": "delete a message only once its batch is replayed",
}
