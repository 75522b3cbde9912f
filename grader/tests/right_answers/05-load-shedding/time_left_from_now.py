"""admit reads the client's timeout as the time left from now (the same at arrival); shed compares now with the last moment work can start."""

ANSWERS = {
    'max_in_flight': '''def max_in_flight(capacity_per_s, latency_s):
    return int(capacity_per_s * latency_s // 1)
''',
    'admit': '''def admit(request, server):
    time_left = request.deadline_s - server.now_s   # at arrival: the whole timeout
    rate = server.workers / server.service_s
    room = max_in_flight(rate, 0.5 * time_left)
    return room > server.in_service + server.queued
''',
    'shed': '''def shed(request, server):
    last_start_s = request.deadline_s - server.service_s
    return server.now_s > last_start_s
''',
}
