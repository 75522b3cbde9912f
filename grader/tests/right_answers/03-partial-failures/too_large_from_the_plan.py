"""The writer finds the records over 1 MiB as those no planned call holds; failed_records
reads FailedRecordCount first and finds failures by their missing SequenceNumber."""

ANSWERS = {
    'failed_records': '''\
def failed_records(batch, response):
    if not response.get("FailedRecordCount"):
        return []
    return [(batch[n], entry["ErrorCode"])
            for n, entry in enumerate(response["Records"])
            if "SequenceNumber" not in entry]
''',
    'put_records_reliably': '''\
import math


def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    planned = {i for call in plan_batches(records) for i in call}
    result = {i: TOO_LARGE for i in range(len(records)) if i not in planned}
    pending = sorted(planned)
    for attempt in range(1, max_attempts + 1):
        if attempt > 1:
            sleep(rng.uniform(0, min(cap, math.ldexp(base, attempt - 2))))
        codes = {}
        for call in plan_batches([records[i] for i in pending]):
            indices = [pending[k] for k in call]
            codes.update(failed_records(indices, kinesis.put_records(
                StreamName=stream, Records=[records[i] for i in indices])))
        pending = [i for i in pending if i in codes]
        if not pending:
            return result
        if attempt == max_attempts:
            result.update({i: codes[i] for i in pending})
    return result
''',
}
