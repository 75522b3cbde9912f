"""consume_batch returns how many messages it processed, not how many it received."""

BELIEVED = "The caller wants to know how much business work was done."
VIOLATES = ["3.9"]

EDITS = {
    'consume_batch': [('''    for message in messages:
        age_s = message_age_s(message, now())''', '''    served = 0
    for message in messages:
        age_s = message_age_s(message, now())'''),
                      ('''                process(message["Body"])
''', '''                process(message["Body"])
                served += 1
'''),
                      ('    return len(messages)', '    return served')],
}

EXPECTED_FAILURES = {
    'test_consume_routes_by_age': 'return how many it received',
}
