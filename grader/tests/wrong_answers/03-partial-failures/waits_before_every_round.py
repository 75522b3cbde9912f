"""put_records_reliably waits before every round, the first one included."""

BELIEVED = 'Backing off before each send, the first too, is the careful thing to do.'

VIOLATES = ['3.2']

ANSWERS = {
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
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
        sleep(rng.uniform(0, min(cap, base * 2**attempt)))
        errors = {}
        for batch in plan_batches([records[i] for i in pending]):
            sent = [pending[k] for k in batch]
            response = kinesis.put_records(StreamName=stream, Records=[records[i] for i in sent])
            errors.update(failed_records(sent, response))
        pending = sorted(errors)
    lost.update(errors)
    return lost
''',
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'waited before its first call',
}
