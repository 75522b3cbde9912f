"""write_items_reliably returns the unprocessed PutRequests instead of the items."""

BELIEVED = 'What UnprocessedItems holds is what the caller wants back.'

VIOLATES = ['4.5']

ANSWERS = {
    'write_items_reliably': '''\
def write_items_reliably(dynamodb, table, items, *, max_attempts=5, base=0.1, cap=2.0,
                         sleep=time.sleep, rng=random):
    requests = [{"PutRequest": {"Item": item}} for item in items]
    for attempt in range(max_attempts):
        if attempt:
            sleep(rng.uniform(0, min(cap, base * 2 ** (attempt - 1))))
        left = []
        for i in range(0, len(requests), BATCH_WRITE_ITEM_MAX_ITEMS):
            chunk = requests[i:i + BATCH_WRITE_ITEM_MAX_ITEMS]
            answer = dynamodb.batch_write_item(RequestItems={table: chunk})
            left.extend(answer.get("UnprocessedItems", {}).get(table, []))
        requests = left
        if not requests:
            break
    return requests
''',
}

EXPECTED_FAILURES = {
    'test_batch_write_gives_up': 'return the items themselves',
}
