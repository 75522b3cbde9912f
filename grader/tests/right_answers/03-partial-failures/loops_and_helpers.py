"""Every answer written with while loops and small inner helper functions, printing
progress."""

ANSWERS = {
    'plan_batches': '''\
def record_size(record):
    data_bytes = len(record["Data"])
    key_bytes = len(bytes(record["PartitionKey"], "utf-8"))
    return data_bytes + key_bytes


def plan_batches(records):
    def fits(count, total, size):
        return count < PUT_RECORDS_MAX_RECORDS and total + size <= PUT_RECORDS_MAX_BYTES

    plan = []
    i = 0
    while i < len(records):
        call, total = [], 0
        while i < len(records):
            size = record_size(records[i])
            if size > KINESIS_RECORD_MAX_BYTES:
                i += 1
                continue
            if call and not fits(len(call), total, size):
                break
            call.append(i)
            total += size
            i += 1
        if call:
            plan.append(call)
    return plan
''',
    'failed_records': '''\
def failed_records(batch, response):
    failed = []
    position = 0
    while position < len(batch):
        entry = response["Records"][position]
        if entry.get("ErrorCode"):
            failed.append((batch[position], entry["ErrorCode"]))
        position += 1
    return failed
''',
    'put_records_reliably': '''\
def put_records_reliably(kinesis, stream, records, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    def send_round(pending):
        """Send one round; return {index: code} of what failed in it."""
        failures = {}
        for call in plan_batches([records[i] for i in pending]):
            indices = [pending[p] for p in call]
            reply = kinesis.put_records(StreamName=stream, Records=[records[i] for i in indices])
            print(f"sent {len(indices)} records, {reply['FailedRecordCount']} failed")
            for index, code in failed_records(indices, reply):
                failures[index] = code
        return failures

    report = {}
    pending = []
    for index, record in enumerate(records):
        if record_size(record) > KINESIS_RECORD_MAX_BYTES:
            report[index] = TOO_LARGE
        else:
            pending.append(index)
    rounds = 0
    last_failures = {}
    while pending and rounds < max_attempts:
        if rounds > 0:
            window = min(cap, base * 2 ** (rounds - 1))
            sleep(rng.uniform(0, window))
        last_failures = send_round(pending)
        pending = sorted(last_failures)
        rounds += 1
    report.update(last_failures)
    return report
''',
    'write_items_reliably': '''\
def write_items_reliably(dynamodb, table, items, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    def write_round(pending):
        left = []
        start = 0
        while start < len(pending):
            chunk = pending[start:start + BATCH_WRITE_ITEM_MAX_ITEMS]
            reply = dynamodb.batch_write_item(
                RequestItems={table: [{"PutRequest": {"Item": item}} for item in chunk]})
            for request in reply.get("UnprocessedItems", {}).get(table, []):
                left.append(request["PutRequest"]["Item"])
            start += BATCH_WRITE_ITEM_MAX_ITEMS
        print(f"{len(pending) - len(left)} written, {len(left)} unprocessed")
        return left

    pending = list(items)
    rounds = 0
    while pending and rounds < max_attempts:
        if rounds:
            sleep(rng.uniform(0, min(cap, base * 2 ** (rounds - 1))))
        pending = write_round(pending)
        rounds += 1
    return pending
''',
}
