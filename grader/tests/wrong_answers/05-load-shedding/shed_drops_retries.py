"""Every retry is dropped from the queue, even one with time to spare."""

BELIEVED = "A retry means the client already gave up once, so its request is not worth serving."
VIOLATES = ["3.2"]

EDITS = {
    'shed': [('    return server.now_s + server.service_s > request.deadline_s',
              '    return request.attempt > 0 or server.now_s + server.service_s > request.deadline_s')],
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'shed should return False',
}
