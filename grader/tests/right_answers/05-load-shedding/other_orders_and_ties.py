"""The products are multiplied in other orders (latency first, 1 / service_s apart), admit returns bool(), and shed drops a request that would finish exactly at its deadline."""

ANSWERS = {
    'max_in_flight': '''def max_in_flight(capacity_per_s, latency_s):
    return math.floor(latency_s * capacity_per_s)
''',
    'admit': '''def admit(request, server):
    half_timeout = (request.deadline_s - request.sent_s) * 0.5
    per_worker_rate = 1 / server.service_s
    limit = max_in_flight(half_timeout * server.workers, per_worker_rate)
    return bool(limit - (server.in_service + server.queued) > 0)
''',
    'shed': '''def shed(request, server):
    return server.now_s + server.service_s >= request.deadline_s
''',
}
