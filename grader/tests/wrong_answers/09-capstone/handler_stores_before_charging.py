"""The consumer stores each order, then charges it: a poison order stays in the table, uncharged."""

BELIEVED = "Saving the order first means it is never lost, whatever the charge does."
VIOLATES = ["3.4"]

ANSWERS = {
    'make_handler': '''def make_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """The consumer: charge each order once, store it, set aside what can never succeed."""
    def handler(event, context):
        for record in event["Records"]:
            number = record["kinesis"]["sequenceNumber"]
            if context.get_remaining_time_in_millis() < TIME_TO_STOP_S * 1000:
                return {"batchItemFailures": [{"itemIdentifier": number}]}
            order = json.loads(base64.b64decode(record["kinesis"]["data"]))
            try:
                dynamodb.put_item(TableName=table, Item={
                    "id": {"S": order["order_id"]}, "customer": {"S": order["customer"]},
                    "amount_cents": {"N": str(order["amount_cents"])}})
                payments.charge(order["order_id"], order["amount_cents"],
                                idempotency_key=order["order_id"],
                                timeout_s=PAYMENT_TIMEOUT_S)
            except ValueError as error:
                sqs.send_message(QueueUrl=failure_queue_url, MessageBody=json.dumps(
                    {"order": order, "reason": str(error)}))
            except (ConnectionError, TimeoutError, ClientError, BotoCoreError):
                return {"batchItemFailures": [{"itemIdentifier": number}]}
        return {"batchItemFailures": []}

    return handler
''',
}

EXPECTED_FAILURES = {
    'test_handler_charges_stores_and_sets_aside': 'should be charged once each',
    'test_recovery': 'the consumer is not catching up',
}
