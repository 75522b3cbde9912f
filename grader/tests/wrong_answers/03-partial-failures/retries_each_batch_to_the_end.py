"""put_records_reliably retries each planned call until it lands before sending the next call."""

BELIEVED = 'Finishing one batch before starting the next is the same as sending in rounds.'

VIOLATES = ['3.1']

ANSWERS = {
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    lost = {}
    sendable = []
    for i, record in enumerate(records):
        if record_size(record) > KINESIS_RECORD_MAX_BYTES:
            lost[i] = TOO_LARGE
        else:
            sendable.append(i)
    for batch in plan_batches([records[i] for i in sendable]):
        todo = [sendable[p] for p in batch]
        for attempt in range(max_attempts):
            if attempt > 0:
                sleep(rng.uniform(0, min(cap, base * 2 ** (attempt - 1))))
            response = kinesis.put_records(StreamName=stream, Records=[records[i] for i in todo])
            failed = failed_records(todo, response)
            todo = [index for index, _ in failed]
            if not todo:
                break
        lost.update(failed)
    return lost
''',
}

EXPECTED_FAILURES = {
    'test_burst_lands_once': 'before it had sent all of round 1',
}
