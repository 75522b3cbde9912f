"""An SQS handler that processes messages in reverse order and reports failures with a
comprehension over their indexes."""

ANSWERS = {
    "make_sqs_handler": '''def make_sqs_handler(process):
    def handler(event, context):
        records = event["Records"]
        failed_positions = set()
        for position in reversed(range(len(records))):
            try:
                process(records[position]["body"])
            except BaseException as problem:  # noqa: BLE001 - anything process raises
                if not isinstance(problem, Exception):
                    raise
                failed_positions.add(position)
        return {"batchItemFailures": [
            {"itemIdentifier": records[p]["messageId"]} for p in sorted(failed_positions)]}

    return handler
''',
}
