"""A token bucket kept in globals lets in capacity requests a second, instead of a concurrency limit."""

BELIEVED = "A server is protected by letting in no more requests a second than it can serve."
VIOLATES = ["0.1", "2.4"]

ANSWERS = {
    'admit': '''def admit(request, server, bucket={"tokens": None, "last_s": 0.0}):
    """A token bucket: capacity tokens a second, as many as max_in_flight at most."""
    rate = server.workers / server.service_s
    burst = max_in_flight(rate, (request.deadline_s - request.sent_s) / 2)
    if bucket["tokens"] is None:
        bucket["tokens"] = burst
    else:
        refill = rate * max(0.0, request.sent_s - bucket["last_s"])
        bucket["tokens"] = min(burst, bucket["tokens"] + refill)
    bucket["last_s"] = request.sent_s
    if bucket["tokens"] >= 1:
        bucket["tokens"] -= 1
        return True
    return False
''',
}

EXPECTED_FAILURES = {
    'test_admit_is_a_concurrency_limit': 'admit should return',
    'test_goodput_at_twice_capacity': 'A policy must be a pure function',
}
