"""The Kinesis mapping bounds the records' age but lets retries run for ever."""

BELIEVED = "A maximum record age of an hour is bound enough; the retry count can stay unlimited."

VIOLATES = ["4.3"]

ANSWERS = {
    "kinesis_mapping": '''def kinesis_mapping(destination_arn):
    config = dict(
        BatchSize=100,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        MaximumRecordAgeInSeconds=3600,
        DestinationConfig={"OnFailure": {"Destination": destination_arn}},
    )
    return config
''',
}

EXPECTED_FAILURES = {
    "test_mapping_settings": "MaximumRetryAttempts is -1",
    "test_mapping_keeps_shard_moving": "MaximumRetryAttempts is -1",
}
