"""triage rounds the age to whole seconds first, so a message just past a threshold is not."""

BELIEVED = "Ages only matter to the second."
VIOLATES = ["2.2", "2.3"]

ANSWERS = {
    'triage': '''
def triage(age_s, fresh_s, expire_s):
    """What to do with a message of this age: "serve", "defer" or "expire"."""
    age = round(age_s)
    if age <= fresh_s:
        return "serve"
    elif age <= expire_s:
        return "defer"
    else:
        return "expire"
''',
}

EXPECTED_FAILURES = {
    'test_triage': "it returned",
}
