"""triage finds the age's place among the thresholds with bisect_right, so an age equal to
a threshold falls past it."""

BELIEVED = "bisect_right and bisect_left only differ for values not in the list."
VIOLATES = ["2.1", "2.2"]

ANSWERS = {
    'triage': '''
import bisect


def triage(age_s, fresh_s, expire_s):
    """What to do with a message of this age: "serve", "defer" or "expire"."""
    return ("serve", "defer", "expire")[bisect.bisect_right([fresh_s, expire_s], age_s)]
''',
}

EXPECTED_FAILURES = {
    'test_triage': "should be 'serve'",
}
