"""The payment call carries no idempotency key: a crash after the charge charges twice."""

EDITS = {
    'charge_once': [
        ('''        receipt = gateway.charge(order["order_id"], order["amount_cents"],
                                 idempotency_key=key)''',
         '''        receipt = gateway.charge(order["order_id"], order["amount_cents"])'''),
    ],
}

EXPECTED_FAILURES = {
    'test_crash_mid_way_charges_once': 'pass the idempotency key to the payment API',
    'test_end_to_end_exactly_once': 'charged more than once',
}
