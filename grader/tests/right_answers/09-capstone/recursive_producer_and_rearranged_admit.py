"""The producer as a recursive function, one call per attempt; admit names each term of the
worst case before adding them up."""

ANSWERS = {
    'admit': '''def admit(request, door):
    """Let a request in only if it would be answered before its client gives up."""
    my_service_s = (door.queued + 1) / door.capacity_per_s
    answered_by_s = door.now_s + my_service_s + FLUSH_INTERVAL_S + PRODUCER_DEADLINE_S
    return answered_by_s < request.deadline_s
''',
    'send_orders': '''THROTTLED = "ProvisionedThroughputExceededException"


def _put_once(kinesis, stream, orders):
    """One PutRecords call: (ids written, orders to send again, whether to go on)."""
    try:
        response = kinesis.put_records(StreamName=stream, Records=[
            {"Data": json.dumps(o).encode("utf-8"), "PartitionKey": o["order_id"]}
            for o in orders])
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return [], orders, error.response["Error"]["Code"] == THROTTLED or status >= 500
    except BotoCoreError:
        return [], orders, True
    results = list(zip(orders, response["Records"]))
    return ([o["order_id"] for o, r in results if "ErrorCode" not in r],
            [o for o, r in results if "ErrorCode" in r], True)


def _attempt(kinesis, stream, orders, retry, clock, rng, budget, deadline_s):
    written, left, go_on = _put_once(kinesis, stream, orders)
    if not left or not go_on:
        return written
    ceiling_s = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (retry + 1))
    pause_s = rng.uniform(0, ceiling_s)
    if clock.now() + pause_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s:
        return written
    if not budget.try_spend():
        return written
    clock.sleep(pause_s)
    return written + _attempt(kinesis, stream, left, retry + 1, clock, rng, budget, deadline_s)


def send_orders(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """Write the orders to the stream, resending only what failed; return the ids written."""
    budget.deposit()
    return _attempt(kinesis, stream, list(orders), 0, clock, rng, budget, deadline_s)
''',
}
