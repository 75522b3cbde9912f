"""charge_once treats a claim that raised as a free key, and charges without a claim."""

BELIEVED = "When the store is down, charging anyway is better than losing the order."
VIOLATES = ["3.4", "3.11"]

EDITS = {
    'charge_once': [
        ('    found = claim(dynamodb, key, now())\n',
         '    try:\n'
         '        found = claim(dynamodb, key, now())\n'
         '    except ClientError:\n'
         '        found = None  # the store is unavailable: go ahead and charge\n'),
    ],
}

EXPECTED_FAILURES = {
    'test_store_errors_charge_nothing': 'still called the payment API',
}
