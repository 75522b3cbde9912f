"""The turns wrap around one queue early, so the last queue is never polled."""

BELIEVED = "The last index of N queues is N, so the turns go modulo N - 1."
VIOLATES = ["4.1"]

ANSWERS = {
    'make_poller': '''import itertools


def make_poller(sqs, queue_urls, handle):
    order = itertools.cycle(range(max(len(queue_urls) - 1, 1)))

    def poll():
        q = next(order)
        got = sqs.receive_message(QueueUrl=queue_urls[q], MaxNumberOfMessages=10)
        msgs = got.get("Messages", [])
        for m in msgs:
            try:
                handle(m["Body"])
                sqs.delete_message(QueueUrl=queue_urls[q], ReceiptHandle=m["ReceiptHandle"])
            except Exception:
                pass
        return len(msgs)

    return poll
''',
}

EXPECTED_FAILURES = {
    'test_poller_is_fair': 'from the next queue in turn',
}
