"""admit refuses by a fixed queue length, whatever the door's speed and the client's deadline."""

BELIEVED = "Load shedding means a bounded queue: ten waiting is the limit."
VIOLATES = ["1.2"]

ANSWERS = {
    'admit': '''MAX_QUEUED = 10


def admit(request, door):
    """Let a request in only if it would be answered before its client gives up."""
    return door.queued < MAX_QUEUED
''',
}

EXPECTED_FAILURES = {
    'test_admit_everywhere': '(chapter 5)',
}
