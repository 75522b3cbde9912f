"""configure_queue written in two calls, with the policy built as text and a retention set."""

ANSWERS = {
    "configure_queue": '''def configure_queue(sqs, queue_url, dlq_arn, function_timeout_s):
    visibility = function_timeout_s * 6
    sqs.set_queue_attributes(QueueUrl=queue_url,
                             Attributes={"VisibilityTimeout": f"{visibility}",
                                         "MessageRetentionPeriod": str(14 * 24 * 3600)})
    policy = '{"deadLetterTargetArn": "%s", "maxReceiveCount": "8"}' % dlq_arn
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": policy})
''',
}
