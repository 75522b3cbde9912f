"""The writer counts each record's sends in a dict and logs every round with logging."""

ANSWERS = {
    'put_records_reliably': '''\
import logging


def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    log = logging.getLogger("writer")
    sizes = [record_size(r) for r in records]
    sends = {i: 0 for i, size in enumerate(sizes) if size <= KINESIS_RECORD_MAX_BYTES}
    last_code = {}
    pending = list(sends)
    retry = 0
    while pending:
        for call in plan_batches([records[i] for i in pending]):
            indices = [pending[p] for p in call]
            response = kinesis.put_records(StreamName=stream,
                                           Records=[records[i] for i in indices])
            for i in indices:
                sends[i] += 1
                last_code.pop(i, None)
            last_code.update(failed_records(indices, response))
        log.info("round %d: %d failed", retry + 1, len(last_code))
        pending = sorted(i for i in last_code if sends[i] < max_attempts)
        if pending:
            sleep(rng.uniform(0.0, min(cap, base * 2.0 ** retry)))
            retry += 1
    lost = {i: TOO_LARGE for i, size in enumerate(sizes) if size > KINESIS_RECORD_MAX_BYTES}
    lost.update(last_code)
    return lost
''',
}
