"""Only a throttling error leaves the message in place; any other refused send escapes."""

BELIEVED = "Throttling is the one way SQS refuses a send."
VIOLATES = ["3.8"]

EDITS = {
    'consume_batch': [('''        except ClientError:
            continue
''', '''        except ClientError as error:
            if error.response["Error"]["Code"] != "ThrottlingException":
                raise
            continue
''')],
}

EXPECTED_FAILURES = {
    'test_failed_moves_lose_nothing': 'consume_batch raised',
}
