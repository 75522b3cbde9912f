"""The visibility timeout adds 6 seconds to the function timeout instead of multiplying it."""

BELIEVED = "A margin of a few seconds over the function timeout is enough."

VIOLATES = ["2.3"]

EDITS = {
    "configure_queue": [
        ("str(6 * int(function_timeout_s))", "str(int(function_timeout_s) + 6)"),
    ],
}

EXPECTED_FAILURES = {
    "test_queue_configuration": "at least 6 times the function timeout",
}
