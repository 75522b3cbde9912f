"""configure_queue passes the visibility timeout as a number and the policy as a dict."""

BELIEVED = "boto3 converts attribute values to the strings SQS wants."

VIOLATES = ["2.4"]

ANSWERS = {
    "configure_queue": '''def configure_queue(sqs, queue_url, dlq_arn, function_timeout_s):
    sqs.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={
            "VisibilityTimeout": function_timeout_s * 6,
            "RedrivePolicy": {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 10},
        },
    )
''',
}

EXPECTED_FAILURES = {
    "test_queue_configuration": "Attribute values are strings",
}
