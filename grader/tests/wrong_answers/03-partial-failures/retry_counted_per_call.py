"""put_records_reliably bumps the backoff's retry once per call of a retry round.

It shows only when a retry round takes two calls (more than 500 records). From an
independent examiner's held-out answers (wrong-21-retry-per-call), which scored full marks
while no scenario had such a round."""

BELIEVED = 'Every resend is a retry, so each call of a retry round counts one more.'

VIOLATES = ['3.2']

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
    retry = 0
    for attempt in range(max_attempts):
        if not pending:
            break
        if attempt > 0:
            sleep(rng.uniform(0, min(cap, base * 2 ** retry)))
        failed_now = []
        for batch in plan_batches([records[i] for i in pending]):
            if attempt > 0:
                retry += 1
            sent = [pending[j] for j in batch]
            response = kinesis.put_records(StreamName=stream,
                                           Records=[records[i] for i in sent])
            for index, code in failed_records(sent, response):
                failed_now.append(index)
                errors[index] = code
        pending = sorted(failed_now)
    for i in pending:
        lost[i] = errors[i]
    return lost
''',
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'retry counts rounds, not calls',
}
