"""admit counts the requests ahead but not the time to serve this one."""

BELIEVED = "The wait is the queue ahead; serving the request itself takes no time."
VIOLATES = ["1.2"]

EDITS = {
    'admit': [
        ("(door.queued + 1) / door.capacity_per_s", "door.queued / door.capacity_per_s"),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_everywhere': 'admit let in',
}
