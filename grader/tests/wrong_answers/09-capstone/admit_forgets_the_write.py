"""admit counts only the door's queue: the wait for the producer's flush and write is left out."""

BELIEVED = "A request is answered as soon as the door has served it."
VIOLATES = ["1.2"]

EDITS = {
    'admit': [
        ("    return served_s + FLUSH_INTERVAL_S + PRODUCER_DEADLINE_S < request.deadline_s",
         "    return served_s < request.deadline_s"),
    ],
}

EXPECTED_FAILURES = {
    'test_admit_refuses_what_cannot_be_answered': 'after its client gives up',
    'test_overload': 'Revisit chapter 5',
}
