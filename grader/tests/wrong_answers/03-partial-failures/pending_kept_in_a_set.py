"""put_records_reliably builds each retry round with list(set(failed)).

A set of a few small ints lists them in index order until they straddle a multiple of its
table size. From an independent examiner's held-out answers (wrong-23-set-order), which
scored full marks when no retry round's indices did."""

BELIEVED = "A set of small ints comes out sorted, so it keeps the records' order."

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
        pending = list(set(failed_now))
    for i in pending:
        lost[i] = errors[i]
    return lost
''',
}

EXPECTED_FAILURES = {
    'test_only_failed_resent': 'a set keeps no order',
}
