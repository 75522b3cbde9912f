"""Each poll moves on past empty queues until one has messages, so the turns are not one a poll."""

BELIEVED = "An empty queue's turn is wasted: skipping to the next one with messages is fairer."
VIOLATES = ["4.1"]

ANSWERS = {
    'make_poller': '''def make_poller(sqs, queue_urls, handle):
    class Poller:
        def __init__(self):
            self.position = 0

        def __call__(self):
            for _ in range(len(queue_urls)):
                url = queue_urls[self.position]
                self.position = (self.position + 1) % len(queue_urls)
                reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
                batch = reply.get("Messages", [])
                if not batch:
                    continue
                for msg in batch:
                    try:
                        handle(msg["Body"])
                    except Exception as exc:
                        print("handle failed:", exc)
                    else:
                        sqs.delete_message(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"])
                return len(batch)
            return 0

    return Poller()
''',
}

EXPECTED_FAILURES = {
    'test_poller_is_fair': 'one receive a poll',
}
