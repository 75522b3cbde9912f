"""A throttled send escapes the pass: the rest of the batch waits for nothing."""

EDITS = {
    'consume_batch': [('''        except ClientError:
            continue
''', '''        except ClientError:
            raise
''')],
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'made consume_batch raise',
}
