"""The producer retries every ClientError, a ValidationException too."""

BELIEVED = "Any error from AWS is worth another try."
VIOLATES = ["2.6"]

EDITS = {
    'send_orders': [
        ("            if not worth_retrying(error):\n                break\n",
         "            pass\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': 'stop at an error no retry fixes (2.6)',
}
