"""plan_batches closes the current call whenever it meets a record over 1 MiB."""

BELIEVED = 'A record that cannot be sent ends the call being filled.'

VIOLATES = ['1.5']

ANSWERS = {
    'plan_batches': '''\
def record_size(record):
    key_bytes = len(record["PartitionKey"].encode())
    return len(record["Data"]) + key_bytes


def plan_batches(records):
    plan = []
    batch = []
    total = 0
    for index, record in enumerate(records):
        size = record_size(record)
        too_big = size > KINESIS_RECORD_MAX_BYTES
        full = len(batch) == PUT_RECORDS_MAX_RECORDS or total + size > PUT_RECORDS_MAX_BYTES
        if batch and (too_big or full):
            plan.append(batch)
            batch, total = [], 0
        if not too_big:
            batch.append(index)
            total += size
    if batch:
        plan.append(batch)
    return plan
''',
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'fill each call before starting the next',
}
