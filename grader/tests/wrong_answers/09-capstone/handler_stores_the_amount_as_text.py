"""The consumer stores amount_cents as a string attribute."""

BELIEVED = "DynamoDB numbers travel as strings, so the type is S."
VIOLATES = ["3.4"]

EDITS = {
    'make_handler': [
        ('"amount_cents": {"N": str(order["amount_cents"])}',
         '"amount_cents": {"S": str(order["amount_cents"])}'),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'is stored as',
}
