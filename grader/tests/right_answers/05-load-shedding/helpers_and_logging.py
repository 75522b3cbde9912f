"""Nested helper functions and debug logging of every decision, with int() for rounding down."""

ANSWERS = {
    'max_in_flight': '''import logging

def max_in_flight(capacity_per_s, latency_s):
    """Little's law, truncated: both numbers are positive, so int() rounds down."""
    in_flight = int(capacity_per_s * latency_s)
    logging.getLogger("lab5").debug("max_in_flight(%s, %s) = %s", capacity_per_s, latency_s, in_flight)
    return in_flight
''',
    'admit': '''import logging

def admit(request, server):
    def capacity_of(view):
        return view.workers / view.service_s

    def patience_of(attempt):
        return attempt.deadline_s - attempt.sent_s

    def held_by(view):
        return view.in_service + view.queued

    limit = max_in_flight(capacity_of(server), patience_of(request) / 2)
    decision = held_by(server) < limit
    logging.getLogger("lab5").debug("admit %s: held %s, limit %s -> %s",
                                    request.number, held_by(server), limit, decision)
    return decision
''',
    'shed': '''import logging

def shed(request, server):
    def finishes_at(view):
        return view.now_s + view.service_s

    too_late = finishes_at(server) > request.deadline_s
    if too_late:
        logging.getLogger("lab5").debug("shed %s (attempt %s)", request.number, request.attempt)
    return too_late
''',
}
