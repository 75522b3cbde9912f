"""The SQS handler spells the response's keys as a Python programmer would guess them."""

BELIEVED = "AWS's response keys are capitalised, as in the SDK (BatchItemFailures, ItemIdentifier)."

VIOLATES = ["1.3"]

EDITS = {
    "make_sqs_handler": [
        ('failures.append({"itemIdentifier": record["messageId"]})',
         'failures.append({"ItemIdentifier": record["messageId"]})'),
        ('return {"batchItemFailures": failures}', 'return {"BatchItemFailures": failures}'),
    ],
}

EXPECTED_FAILURES = {
    "test_sqs_handler_reports_failures": "Lambda would treat that as a failure of the whole batch",
}
