"""When handle raises, the poller calls it again at once before leaving the message."""

BELIEVED = "One immediate retry of handle costs nothing and saves a redelivery."
VIOLATES = ["4.3"]

EDITS = {
    'make_poller': [('''            try:
                handle(message["Body"])
            except Exception:
                continue  # left in its queue: SQS delivers it again''', '''            try:
                handle(message["Body"])
            except Exception:
                try:
                    handle(message["Body"])
                except Exception:
                    continue  # left in its queue: SQS delivers it again''')],
}

EXPECTED_FAILURES = {
    'test_poller_keeps_failed_messages': 'not at once',
}
