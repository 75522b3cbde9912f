"""A duplicate of a completed order calls the payment API again instead of the store."""

BELIEVED = "With the key passed to the payment API, a duplicate of a completed order may simply call it again."
VIOLATES = ["3.5"]

EDITS = {
    'charge_once': [
        ('            return json.loads(found["response"]["S"])',
         '            return gateway.charge(order["order_id"], order["amount_cents"],\n'
         '                                  idempotency_key=key)'),
    ],
}

EXPECTED_FAILURES = {
    'test_duplicates_get_the_stored_response': 'without calling the payment API again',
    'test_late_redrive_is_remembered': 'redriven from the dead-letter queue',
}
