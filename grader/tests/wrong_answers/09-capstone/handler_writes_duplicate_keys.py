"""The consumer puts every charged record in one BatchWriteItem, an order written twice too."""

BELIEVED = "BatchWriteItem takes the same item twice, as two put_item calls would."
VIOLATES = ["3.4"]

EDITS = {
    'make_handler': [
        ("        first_record = {}\n        for number, order in charged:\n"
         '            first_record.setdefault(order["order_id"], (number, order))\n',
         "        first_record = dict(enumerate(charged))\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'the table holds',
}
