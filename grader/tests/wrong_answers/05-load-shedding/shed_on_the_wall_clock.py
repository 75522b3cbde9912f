"""The deadline is compared with the machine's own clock instead of server.now_s."""

BELIEVED = "The time now is what the computer's clock says."
VIOLATES = ["0.1", "3.2"]

ANSWERS = {
    'shed': '''import time

def shed(request, server):
    finish_at = time.monotonic() + server.service_s
    return finish_at > request.deadline_s
''',
}

EXPECTED_FAILURES = {
    'test_shed_drops_hopeless_work': 'shed should return',
}
