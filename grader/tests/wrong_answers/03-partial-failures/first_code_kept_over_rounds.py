"""put_records_reliably reports each record's first error code (kept with setdefault).

A record that failed with one code, then another, is reported with the first. From an
independent examiner's held-out answers (wrong-14-first-code), which scored full marks
while the permanent-failure scenario could draw max_attempts=1."""

BELIEVED = 'The first error a record got is its cause; the later ones only repeat it.'

VIOLATES = ['3.4']

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
                errors.setdefault(index, code)
        pending = sorted(failed_now)
    for i in pending:
        lost[i] = errors[i]
    return lost
''',
}

EXPECTED_FAILURES = {
    'test_permanent_failure_reported': 'so report its last code',
}
