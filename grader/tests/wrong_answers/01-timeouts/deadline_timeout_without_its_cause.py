"""call_with_deadline raises TimeoutError without the last error as its cause."""

BELIEVED = "The message says what happened; the cause is a detail."
VIOLATES = ["3.7"]

EDITS = {
    'call_with_deadline': [
        ('''        if clock() - started_s + attempt_timeout_s > deadline_s:
            raise TimeoutError(f"no room for another attempt in {deadline_s} s") from last_error
''', '''        if clock() - started_s + attempt_timeout_s > deadline_s:
            raise TimeoutError(f"no room for another attempt in {deadline_s} s")
'''),
        ('''        if clock() - started_s + wait_s + attempt_timeout_s > deadline_s:
            raise TimeoutError(f"no room for another attempt in {deadline_s} s") from last_error
''', '''        if clock() - started_s + wait_s + attempt_timeout_s > deadline_s:
            raise TimeoutError(f"no room for another attempt in {deadline_s} s")
'''),
    ],
}

EXPECTED_FAILURES = {
    'test_deadline_never_outlived': "with no cause",
}
