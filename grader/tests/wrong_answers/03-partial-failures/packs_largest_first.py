"""plan_batches packs records largest first, to fill calls better."""

BELIEVED = 'Sorting records by size packs them into fewer calls, and order does not matter.'

VIOLATES = ['1.4']

ANSWERS = {
    'plan_batches': '''\
def record_size(record):
    return len(record["Data"]) + len(record["PartitionKey"].encode("utf-8"))


def plan_batches(records):
    # first-fit decreasing: biggest records first, each into the first call with room
    order = sorted(range(len(records)), key=lambda i: -record_size(records[i]))
    calls, sizes = [], []
    for i in order:
        size = record_size(records[i])
        if size > KINESIS_RECORD_MAX_BYTES:
            continue
        for n, call in enumerate(calls):
            if len(call) < PUT_RECORDS_MAX_RECORDS and sizes[n] + size <= PUT_RECORDS_MAX_BYTES:
                call.append(i)
                sizes[n] += size
                break
        else:
            calls.append([i])
            sizes.append(size)
    return calls
''',
}

EXPECTED_FAILURES = {
    'test_plan_batches': 'out of order',
}
