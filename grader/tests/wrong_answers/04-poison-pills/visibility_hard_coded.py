"""The queue's visibility timeout is the number worked out for the example's 20 s function."""

BELIEVED = "The function always has the 20-second timeout of the lab's example."

VIOLATES = ["2.3"]

ANSWERS = {
    "configure_queue": '''def configure_queue(sqs, queue_url, dlq_arn, function_timeout_s):
    # 6 x 20 s
    attributes = {
        "VisibilityTimeout": "120",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
    }
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes=attributes)
''',
}

EXPECTED_FAILURES = {
    "test_queue_configuration": "at least 6 times the function timeout",
}
