"""The consumer stores each order with its own put_item right after its charge, and skips an
order it already stored in this batch."""

ANSWERS = {
    'make_handler': '''def make_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """The consumer: charge each order once, store it, set aside what can never succeed."""
    passing = (ConnectionError, TimeoutError, ClientError, BotoCoreError)

    def out_of_time(context):
        return context.get_remaining_time_in_millis() < TIME_TO_STOP_S * 1000

    def finish(order, done):
        """Charge and store one order, or set it aside; raises what may pass."""
        if order["order_id"] in done:
            return
        try:
            payments.charge(order["order_id"], order["amount_cents"],
                            idempotency_key=order["order_id"], timeout_s=PAYMENT_TIMEOUT_S)
        except ValueError as error:
            sqs.send_message(QueueUrl=failure_queue_url,
                             MessageBody=json.dumps({"order": order, "reason": str(error)}))
            return
        dynamodb.put_item(TableName=table, Item={
            "id": {"S": order["order_id"]},
            "customer": {"S": order["customer"]},
            "amount_cents": {"N": str(order["amount_cents"])},
        })
        done.add(order["order_id"])

    def handler(event, context):
        done = set()
        for record in event["Records"]:
            sequence_number = record["kinesis"]["sequenceNumber"]
            try:
                if out_of_time(context):
                    raise TimeoutError("too little time left for another record")
                finish(json.loads(base64.b64decode(record["kinesis"]["data"])), done)
            except passing:
                return {"batchItemFailures": [{"itemIdentifier": sequence_number}]}
        return {"batchItemFailures": []}

    return handler
''',
}
