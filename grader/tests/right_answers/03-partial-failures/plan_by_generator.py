"""plan_batches as a generator of calls, record sizes cached; write_items keeps a set of
pending ids."""

ANSWERS = {
    'plan_batches': '''\
def record_size(record):
    return sum(len(part) for part in (record["Data"], record["PartitionKey"].encode()))


def plan_batches(records):
    def calls(sizes):
        call, used = [], 0
        for index, size in sizes:
            full = len(call) + 1 > PUT_RECORDS_MAX_RECORDS or used + size > PUT_RECORDS_MAX_BYTES
            if call and full:
                yield call
                call, used = [], 0
            call, used = call + [index], used + size
        if call:
            yield call

    sizes = [(i, record_size(r)) for i, r in enumerate(records)]
    return list(calls((i, s) for i, s in sizes if s <= KINESIS_RECORD_MAX_BYTES))
''',
    'write_items_reliably': '''\
def write_items_reliably(dynamodb, table, items, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    by_id = {item["id"]["S"]: item for item in items}
    pending = list(by_id)
    for attempt in range(max_attempts):
        if attempt:
            sleep(rng.uniform(0, min(cap, base * 2 ** (attempt - 1))))
        unwritten = set()
        for start in range(0, len(pending), BATCH_WRITE_ITEM_MAX_ITEMS):
            ids = pending[start:start + BATCH_WRITE_ITEM_MAX_ITEMS]
            answer = dynamodb.batch_write_item(
                RequestItems={table: [{"PutRequest": {"Item": by_id[i]}} for i in ids]})
            unwritten |= {r["PutRequest"]["Item"]["id"]["S"]
                          for r in answer["UnprocessedItems"].get(table, [])}
        pending = [i for i in pending if i in unwritten]
        if not pending:
            break
    return [by_id[i] for i in pending]
''',
}
