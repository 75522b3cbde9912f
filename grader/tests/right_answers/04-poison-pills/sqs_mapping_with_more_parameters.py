"""Other valid SQS mapping parameters: a batching window, Enabled, scaling, metrics, a filter
that keeps every message, tags; a longer visibility timeout and more receives."""

EDITS = {
    "sqs_mapping": [
        ('    return {"BatchSize": 10, "FunctionResponseTypes": ["ReportBatchItemFailures"]}',
         '''    keep_all = {"eventSource": ["aws:sqs"]}
    return {
        "Enabled": True,
        "BatchSize": 50,
        "MaximumBatchingWindowInSeconds": 2,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "ScalingConfig": {"MaximumConcurrency": 2},
        "MetricsConfig": {"Metrics": ["EventCount"]},
        "FilterCriteria": {"Filters": [{"Pattern": json.dumps(keep_all)}]},
        "Tags": {"team": "orders"},
    }'''),
    ],
    "configure_queue": [
        ('"maxReceiveCount": 5', '"maxReceiveCount": "12"'),
        ('str(6 * int(function_timeout_s))', 'str(6 * int(function_timeout_s) + 30)'),
    ],
}
