"""The payment call carries no idempotency key: a crash after the charge charges twice."""

BELIEVED = "The idempotency store alone makes the charge happen once; the payment API needs no key."
VIOLATES = ["3.7"]

EDITS = {
    'charge_once': [
        ('''        receipt = gateway.charge(order["order_id"], order["amount_cents"],
                                 idempotency_key=key)''',
         '''        receipt = gateway.charge(order["order_id"], order["amount_cents"])'''),
    ],
}

EXPECTED_FAILURES = {
    'test_crash_mid_way_charges_once': 'pass the idempotency key to the payment API',
    'test_failed_charge_releases_its_claim': 'Pass the idempotency key to the payment API',
}
