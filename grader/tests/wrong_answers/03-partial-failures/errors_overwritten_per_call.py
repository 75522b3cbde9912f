"""put_records_reliably keeps only the last call's failures of each round."""

BELIEVED = "Each call's failures replace the previous call's."

VIOLATES = ['3.1']

EDITS = {
    'put_records_reliably': [
        ('            errors.update(failed_records(sent, response))',
         '            errors = dict(failed_records(sent, response))'),
    ],
}

EXPECTED_FAILURES = {
    'test_burst_lands_once': 'never reached the stream',
}
