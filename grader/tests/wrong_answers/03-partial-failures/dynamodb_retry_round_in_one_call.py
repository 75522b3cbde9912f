"""write_items_reliably resends a round's unprocessed items in a single BatchWriteItem call.

The first round goes in calls of 25. From an independent examiner's held-out answers
(wrong-25-ddb-merge-unprocessed), which scored full marks when no round left more than 25
items unprocessed."""

BELIEVED = 'Few items come back unprocessed, so a retry round always fits in one call.'

VIOLATES = ['4.1']

ANSWERS = {
    'write_items_reliably': '''\
def write_items_reliably(dynamodb, table, items, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    """Write ``items`` to ``table``, resending unprocessed items with backoff; return the
    items that were never written."""
    pending = list(range(len(items)))
    for attempt in range(max_attempts):
        if not pending:
            break
        if attempt > 0:
            sleep(rng.uniform(0, min(cap, base * 2 ** (attempt - 1))))
        still = []
        size = BATCH_WRITE_ITEM_MAX_ITEMS if attempt == 0 else max(len(pending), 1)
        for start in range(0, len(pending), size):
            chunk = pending[start:start + size]
            response = dynamodb.batch_write_item(RequestItems={
                table: [{"PutRequest": {"Item": items[i]}} for i in chunk]})
            unprocessed = [r["PutRequest"]["Item"]
                           for r in response.get("UnprocessedItems", {}).get(table, [])]
            remaining = list(chunk)
            for item in unprocessed:
                for k, i in enumerate(remaining):
                    if items[i] == item:
                        still.append(i)
                        del remaining[k]
                        break
        pending = sorted(still)
    return [items[i] for i in pending]
''',
}

EXPECTED_FAILURES = {
    'test_batch_write_only_unprocessed': 'split every round, the retry rounds too',
}
