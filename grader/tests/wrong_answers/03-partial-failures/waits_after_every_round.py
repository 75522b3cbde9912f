"""put_records_reliably waits after every round that had failures, the last one included."""

BELIEVED = 'After a round with failures one always backs off, even if no round follows.'

VIOLATES = ['3.2']

ANSWERS = {
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    too_large = {i: TOO_LARGE for i, r in enumerate(records)
                 if record_size(r) > KINESIS_RECORD_MAX_BYTES}
    pending = [i for i in range(len(records)) if i not in too_large]
    failures = {}
    retry = 0
    for _ in range(max_attempts):
        failures = {}
        for batch in plan_batches([records[i] for i in pending]):
            sent = [pending[p] for p in batch]
            failures.update(failed_records(sent, kinesis.put_records(
                StreamName=stream, Records=[records[i] for i in sent])))
        if not failures:
            break
        sleep(rng.uniform(0, min(cap, base * 2**retry)))
        retry += 1
        pending = sorted(failures)
    return {**too_large, **failures}
''',
}

EXPECTED_FAILURES = {
    'test_backoff_between_rounds': 'waited after its last call',
}
