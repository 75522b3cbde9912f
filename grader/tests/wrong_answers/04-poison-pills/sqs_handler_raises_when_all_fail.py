"""The SQS handler reports its failures, but raises when every message of the batch failed."""

BELIEVED = "A batch in which nothing succeeded is a failed invocation, and should show as one."

VIOLATES = ["1.2"]

EDITS = {
    "make_sqs_handler": [
        ('        return {"batchItemFailures": failures}',
         '        if failures and len(failures) == len(event["Records"]):\n'
         '            raise RuntimeError("every message in the batch failed")\n'
         '        return {"batchItemFailures": failures}'),
    ],
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "For a batch of one poison pill, your handler raised",
}
