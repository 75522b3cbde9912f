"""A throttled send escapes the pass: the rest of the batch waits for nothing."""

BELIEVED = "An error should always reach the caller."
VIOLATES = ["3.8"]

EDITS = {
    'consume_batch': [('''        except ClientError:
            continue
''', '''        except ClientError:
            raise
''')],
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'consume_batch raised',
}
