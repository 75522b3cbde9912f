"""A message whose move SQS refused is served on the spot instead, and deleted."""

BELIEVED = "Serving a message late is better than leaving it for later."
VIOLATES = ["3.8"]

EDITS = {
    'consume_batch': [('''        except ClientError:
            continue
''', '''        except ClientError:
            process(message["Body"])
''')],
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'not processed',
}
