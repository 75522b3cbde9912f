"""admit computes the limit inline in one expression without calling max_in_flight, and refuses with an early return."""

ANSWERS = {
    'admit': '''def admit(request, server):
    timeout = request.deadline_s - request.sent_s
    limit = math.floor(server.workers * timeout / (2 * server.service_s))
    if server.in_service + server.queued >= limit:
        return False
    return True
''',
    'shed': '''def shed(request, server):
    if server.now_s + server.service_s <= request.deadline_s:
        return False   # still fits: serve it
    return True
''',
}
