"""The charge uses the example's price, 1999 cents, instead of the order's amount_cents."""

BELIEVED = "Every order in the lab costs the 1999 cents of the example body."
VIOLATES = ["3.1"]

EDITS = {
    'charge_once': [
        ('''        receipt = gateway.charge(order["order_id"], order["amount_cents"],
                                 idempotency_key=key)''',
         '''        receipt = gateway.charge(order["order_id"], 1999, idempotency_key=key)'''),
    ],
}

EXPECTED_FAILURES = {
    'test_every_copy_gets_one_receipt': 'Charge the order_id and amount_cents',
}
