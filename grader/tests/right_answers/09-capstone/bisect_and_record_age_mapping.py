"""The mapping bisects a failing batch and bounds it by record age, retrying without a count;
smaller batches."""

ANSWERS = {
    'mapping_config': '''RECORD_AGE_LIMIT_S = 600  # past RIDE_OUT_S, short of the retention


def mapping_config(stream_arn, failure_queue_arn):
    """The consumer's event source mapping."""
    config = dict(EventSourceArn=stream_arn, BatchSize=10,
                  FunctionResponseTypes=["ReportBatchItemFailures"],
                  BisectBatchOnFunctionError=True,
                  MaximumRetryAttempts=-1,
                  MaximumRecordAgeInSeconds=RECORD_AGE_LIMIT_S)
    config["DestinationConfig"] = {"OnFailure": {"Destination": failure_queue_arn}}
    return config
''',
}
