"""call_with_deadline shortens a drawn wait that does not fit, and tries once more."""

BELIEVED = "A shorter wait that still fits beats giving up."
VIOLATES = ["3.3"]

EDITS = {
    'call_with_deadline': [('''        wait_s = rng.uniform(0, min(cap, base * 2**retry))
''', '''        wait_s = rng.uniform(0, min(cap, base * 2**retry))
        if clock() - started_s + wait_s + attempt_timeout_s > deadline_s:
            wait_s = max(0.0, deadline_s - attempt_timeout_s - (clock() - started_s))
''')],
}

EXPECTED_FAILURES = {
    'test_deadline_jitter': "rather than shorten it",
}
