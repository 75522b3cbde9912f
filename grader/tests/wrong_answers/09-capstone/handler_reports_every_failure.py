"""The consumer carries on past a failed record and reports every record that failed."""

BELIEVED = "Reporting each failed record lets Lambda retry just those."
VIOLATES = ["3.5"]

ANSWERS = {
    'make_handler': '''def make_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """The consumer: charge each order once, store it, set aside what can never succeed."""
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            number = record["kinesis"]["sequenceNumber"]
            if context.get_remaining_time_in_millis() < TIME_TO_STOP_S * 1000:
                failures.append({"itemIdentifier": number})
                break
            order = json.loads(base64.b64decode(record["kinesis"]["data"]))
            try:
                payments.charge(order["order_id"], order["amount_cents"],
                                idempotency_key=order["order_id"],
                                timeout_s=PAYMENT_TIMEOUT_S)
                dynamodb.put_item(TableName=table, Item={
                    "id": {"S": order["order_id"]}, "customer": {"S": order["customer"]},
                    "amount_cents": {"N": str(order["amount_cents"])}})
            except ValueError as error:
                try:
                    sqs.send_message(QueueUrl=failure_queue_url, MessageBody=json.dumps(
                        {"order": order, "reason": str(error)}))
                except (ClientError, BotoCoreError):
                    failures.append({"itemIdentifier": number})
            except (ConnectionError, TimeoutError, ClientError, BotoCoreError):
                failures.append({"itemIdentifier": number})
        return {"batchItemFailures": failures}

    return handler
''',
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'the table holds',
}
