"""admit adds up the worst case's waits with sum(); the mapping retries by count and by age,
in batches of 25, as many as one BatchWriteItem takes."""

ANSWERS = {
    'admit': '''def worst_case_answer_s(door):
    """When a request let in now is answered at the latest: the waits, in the order they come."""
    waits_s = ((door.queued + 1) / door.capacity_per_s, FLUSH_INTERVAL_S, PRODUCER_DEADLINE_S)
    return sum(waits_s, door.now_s)


def admit(request, door):
    """Let a request in only if it would be answered before its client gives up."""
    return worst_case_answer_s(door) < request.deadline_s
''',
    'mapping_config': '''def mapping_config(stream_arn, failure_queue_arn):
    """The consumer's event source mapping."""
    return {
        "EventSourceArn": stream_arn,
        "BatchSize": 25,
        "MaximumBatchingWindowInSeconds": 0,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "MaximumRetryAttempts": 200,
        "MaximumRecordAgeInSeconds": 3600,
        "DestinationConfig": {"OnFailure": {"Destination": failure_queue_arn}},
    }
''',
}
