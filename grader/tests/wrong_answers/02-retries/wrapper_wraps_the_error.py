"""call_with_retries raises a new RuntimeError ("gave up after N attempts") instead of the
last call's error."""

BELIEVED = "A clear message of its own is more useful to the caller than the SDK's error."

VIOLATES = ["3.4"]

EDITS = {
    "call_with_retries": [
        ("""            if attempt == max_attempts - 1 or not is_retryable(error):
                raise""",
         """            if not is_retryable(error):
                raise
            if attempt == max_attempts - 1:
                raise RuntimeError(f"gave up after {max_attempts} attempts") from error"""),
    ],
}

EXPECTED_FAILURES = {
    "test_gives_up": "Raise the error it got",
}
