"""The Kinesis mapping filters out records that are not orders, so pills vanish unseen."""

BELIEVED = "A filter that drops unparseable records protects the shard from pills for free."

VIOLATES = ["4.5", "5.7"]

ANSWERS = {
    "kinesis_mapping": '''def kinesis_mapping(destination_arn):
    orders_only = {"data": {"order": [{"exists": True}]}}
    return {
        "BatchSize": 50,
        "StartingPosition": "TRIM_HORIZON",
        "FilterCriteria": {"Filters": [{"Pattern": json.dumps(orders_only)}]},
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "MaximumRetryAttempts": 2,
        "MaximumRecordAgeInSeconds": 600,
        "DestinationConfig": {"OnFailure": {"Destination": destination_arn}},
    }
''',
}

EXPECTED_FAILURES = {
    "test_mapping_keeps_shard_moving": "FilterCriteria dropped",
    "test_kinesis_end_to_end": "pills were written",
}
