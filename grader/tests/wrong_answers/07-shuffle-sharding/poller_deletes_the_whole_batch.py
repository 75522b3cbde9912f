"""The poller deletes its whole batch at the end, the messages that failed included."""

BELIEVED = "Once a batch has been through handle, all of it is done with."
VIOLATES = ["4.3"]

ANSWERS = {
    'make_poller': '''def make_poller(sqs, queue_urls, handle):
    state = {"next": 0}

    def poll():
        index = state["next"]
        state["next"] = (index + 1) % len(queue_urls)
        url = queue_urls[index]
        response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
        messages = response.get("Messages", [])
        for m in messages:
            try:
                handle(m["Body"])
            except Exception as error:
                print(f"could not handle a message: {error}")
        if messages:
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
        return len(messages)

    return poll
''',
}

EXPECTED_FAILURES = {
    'test_poller_keeps_failed_messages': 'Delete a message only once it has been handled',
}
