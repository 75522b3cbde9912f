"""The producer catches only network errors: a throttled PutRecords raises out of it."""

BELIEVED = "boto3 retries throttles itself, so a ClientError never reaches my code."
VIOLATES = ["2.7"]

EDITS = {
    'send_orders': [
        ("        except ClientError as error:\n            if not worth_retrying(error):\n"
         "                break\n", ""),
    ],
}

EXPECTED_FAILURES = {
    'test_send_orders_everywhere': 'send_orders raised ClientError',
}
