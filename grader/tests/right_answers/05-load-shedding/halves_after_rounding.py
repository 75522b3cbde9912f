"""admit halves max_in_flight over the whole timeout (floor(floor(x) / 2) == floor(x / 2)); shed asks whether the time left covers one service time."""

ANSWERS = {
    'admit': '''def admit(request, server):
    capacity = server.workers / server.service_s
    whole_timeout = request.deadline_s - request.sent_s
    limit = max_in_flight(capacity, whole_timeout) // 2  # what clears in half the timeout
    return server.in_service + server.queued < limit
''',
    'shed': '''def shed(request, server):
    time_left_s = request.deadline_s - server.now_s
    return time_left_s < server.service_s
''',
}
