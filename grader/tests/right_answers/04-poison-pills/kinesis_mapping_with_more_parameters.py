"""Other valid Kinesis mapping parameters: smaller batches, two lanes a shard, a batching
window, a tumbling window of 0, a filter that keeps every record, Enabled, metrics, tags."""

EDITS = {
    "kinesis_mapping": [
        ('        "BatchSize": 100,\n',
         '''        "Enabled": True,
        "StartingPosition": "TRIM_HORIZON",
        "BatchSize": 10,
        "ParallelizationFactor": 2,
        "MaximumBatchingWindowInSeconds": 5,
        "TumblingWindowInSeconds": 0,
        "FilterCriteria": {"Filters": [
            {"Pattern": json.dumps({"partitionKey": [{"exists": True}]})}]},
        "MetricsConfig": {"Metrics": ["EventCount"]},
        "Tags": {"lab": "04"},
'''),
        ('"MaximumRetryAttempts": 3,', '"MaximumRetryAttempts": 2,'),
        ('"MaximumRecordAgeInSeconds": 3600,', '"MaximumRecordAgeInSeconds": 600,'),
        ('"BisectBatchOnFunctionError": True,', '"BisectBatchOnFunctionError": False,'),
    ],
}
