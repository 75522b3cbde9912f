"""put_records_reliably resends a round's throttled records first, then the others.

Each group keeps index order. From an independent examiner's held-out answers
(wrong-22-order-by-code), which scored full marks when no retry round had an InternalFailure
record before a throttled one."""

BELIEVED = 'Throttled records are the ones to retry first; the order within a round does not matter.'

VIOLATES = ['3.1']

ANSWERS = {
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    """Write ``records`` to ``stream``, resending only failed records with backoff; return
    {index: last error code} for the records that never landed."""
    lost = {}
    pending = []
    for i, record in enumerate(records):
        if record_size(record) > KINESIS_RECORD_MAX_BYTES:
            lost[i] = TOO_LARGE
        else:
            pending.append(i)
    errors = {}
    for attempt in range(max_attempts):
        if not pending:
            break
        if attempt > 0:
            sleep(rng.uniform(0, min(cap, base * 2 ** (attempt - 1))))
        failed_now = []
        for batch in plan_batches([records[i] for i in pending]):
            sent = [pending[j] for j in batch]
            response = kinesis.put_records(StreamName=stream,
                                           Records=[records[i] for i in sent])
            for index, code in failed_records(sent, response):
                failed_now.append(index)
                errors[index] = code
        pending = sorted(failed_now, key=lambda i: (errors[i] != 'ProvisionedThroughputExceededException', i))
    for i in pending:
        lost[i] = errors[i]
    return lost
''',
}

EXPECTED_FAILURES = {
    'test_only_failed_resent': 'by error code',
}
