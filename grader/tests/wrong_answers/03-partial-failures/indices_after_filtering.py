"""plan_batches drops the records over 1 MiB first, then numbers what is left."""

BELIEVED = 'Indices can be counted among the records that fit.'

VIOLATES = ['1.4']

ANSWERS = {
    'plan_batches': '''\
def record_size(record):
    return len(record["Data"]) + len(record["PartitionKey"].encode("utf-8"))


def plan_batches(records):
    fitting = [r for r in records if record_size(r) <= KINESIS_RECORD_MAX_BYTES]
    calls = []
    current = []
    current_bytes = 0
    for i, r in enumerate(fitting):
        if len(current) == PUT_RECORDS_MAX_RECORDS or current_bytes + record_size(r) > PUT_RECORDS_MAX_BYTES:
            calls.append(current)
            current = []
            current_bytes = 0
        current.append(i)
        current_bytes += record_size(r)
    if current:
        calls.append(current)
    return calls
''',
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'positions among the records that fit',
}
