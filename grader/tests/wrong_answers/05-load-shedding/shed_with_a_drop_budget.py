"""A global budget stops shedding after 40 drops, so a long overload is served past its deadlines again."""

BELIEVED = "Dropping is drastic, so a service should only ever drop a limited number of requests."
VIOLATES = ["0.1", "3.2"]

ANSWERS = {
    'shed': '''def shed(request, server, dropped=[]):
    """Drop hopeless work, but never more than 40 requests in all."""
    hopeless = server.now_s + server.service_s > request.deadline_s
    if hopeless and len(dropped) < 40:
        dropped.append(request.number)
        return True
    return False
''',
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'decisions your policies made broke the rules',
}
