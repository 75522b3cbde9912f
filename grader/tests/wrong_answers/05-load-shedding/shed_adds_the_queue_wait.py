"""shed adds the wait behind the queued requests, as if the request were still at the back of a FIFO queue."""

BELIEVED = "The request taken from the queue must still wait for the requests queued behind it."
VIOLATES = ["3.2"]

ANSWERS = {
    'shed': '''def shed(request, server):
    wait_s = server.queued * server.service_s / server.workers  # FIFO: the queue goes first
    finish_s = server.now_s + wait_s + server.service_s
    return finish_s > request.deadline_s
''',
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'nothing else decides',
}
