"""Depths are compared as the strings SQS returns, so '10' counts as fewer than '9'."""

BELIEVED = "ApproximateNumberOfMessages can be compared as it comes back."
VIOLATES = ["3.3"]

EDITS = {
    'enqueue': [('return int(attributes["Attributes"]["ApproximateNumberOfMessages"])',
                 'return attributes["Attributes"]["ApproximateNumberOfMessages"]')],
}

EXPECTED_FAILURES = {
    'test_enqueue_picks_shortest': "'10' comes before '9'",
}
