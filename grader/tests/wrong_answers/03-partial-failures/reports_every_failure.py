"""put_records_reliably reports every record that ever failed, even those that landed later."""

BELIEVED = 'A record that failed once should be reported, whatever happened next.'

VIOLATES = ['3.4']

ANSWERS = {
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    report = {i: TOO_LARGE for i, r in enumerate(records) if record_size(r) > KINESIS_RECORD_MAX_BYTES}
    pending = [i for i in range(len(records)) if i not in report]
    for attempt in range(max_attempts):
        if not pending:
            break
        if attempt:
            sleep(rng.uniform(0, min(cap, base * 2**(attempt - 1))))
        still_failing = []
        for batch in plan_batches([records[i] for i in pending]):
            sent = [pending[j] for j in batch]
            response = kinesis.put_records(StreamName=stream, Records=[records[i] for i in sent])
            for index, code in failed_records(sent, response):
                report[index] = code  # remember every failure
                still_failing.append(index)
        pending = sorted(still_failing)
    return report
''',
}

EXPECTED_FAILURES = {
    'test_permanent_failure_reported': 'which landed in the end',
}
