"""Each payment call may take the whole function timeout: one slow charge uses up the invocation."""

BELIEVED = "The longer the consumer waits for the payment API, the fewer charges fail."
VIOLATES = ["3.2"]

EDITS = {
    'make_handler': [
        ("timeout_s=PAYMENT_TIMEOUT_S)", "timeout_s=FUNCTION_TIMEOUT_S)"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'a timeout longer than PAYMENT_TIMEOUT_S',
}
