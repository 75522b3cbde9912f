"""The pass stops at the first refused send: the messages after it wait for nothing."""

BELIEVED = "When SQS refuses one send, the rest would fail too."
VIOLATES = ["3.8"]

EDITS = {
    'consume_batch': [('''        except ClientError:
            continue
''', '''        except ClientError:
            break
''')],
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'go on with the other messages',
}
