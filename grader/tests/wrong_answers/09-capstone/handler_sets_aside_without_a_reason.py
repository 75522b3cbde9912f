"""The consumer sends a poison order to the failure queue as the bare order, without its reason."""

BELIEVED = "The order itself is enough for whoever reads the failure queue."
VIOLATES = ["3.3"]

EDITS = {
    'make_handler': [
        ('                        {"order": order, "reason": str(error)}))\n',
         "                        order))\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_charges_stores_and_sets_aside': 'the failure queue holds',
}
