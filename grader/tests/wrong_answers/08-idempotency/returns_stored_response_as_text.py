"""A duplicate gets the stored response as its JSON text, not as the receipt dict."""

BELIEVED = "The stored response is the receipt, so returning it as stored is enough."
VIOLATES = ["3.5"]

EDITS = {
    'charge_once': [
        ('            return json.loads(found["response"]["S"])',
         '            return found["response"]["S"]'),
    ],
}

EXPECTED_FAILURES = {
    'test_duplicates_get_the_stored_response': 'got different responses',
    'test_every_copy_gets_one_receipt': 'Every copy of the order should get',
}
