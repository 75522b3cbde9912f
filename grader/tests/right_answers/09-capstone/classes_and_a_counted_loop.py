"""The consumer as a class whose instances are the handler; the producer as a for loop over
retry numbers with helper functions; alarms built from a tuple of (name, breached) pairs."""

ANSWERS = {
    'send_orders': '''import itertools


def _worth_retrying(error):
    """A throttle or a server error may pass; anything else will not."""
    code = error.response.get("Error", {}).get("Code")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
    return code == "ProvisionedThroughputExceededException" or status >= 500


def send_orders(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """Write the orders to the stream, resending only what failed; return the ids written."""
    budget.deposit()
    done, todo = [], list(orders)
    for retry in itertools.count(1):
        try:
            reply = kinesis.put_records(StreamName=stream, Records=[
                {"Data": json.dumps(order), "PartitionKey": order["order_id"]}
                for order in todo])
        except ClientError as error:
            if not _worth_retrying(error):
                return done
        except BotoCoreError:
            pass
        else:
            entries = reply["Records"]
            done.extend(o["order_id"] for o, e in zip(todo, entries) if not e.get("ErrorCode"))
            todo = [o for o, e in zip(todo, entries) if e.get("ErrorCode")]
            if not todo:
                return done
        backoff_s = rng.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** retry))
        too_late = clock.now() + backoff_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s
        if too_late or not budget.try_spend():
            return done
        clock.sleep(backoff_s)
''',
    'make_handler': '''class OrderConsumer:
    """A Kinesis handler that charges, stores and sets aside; an instance is the handler."""

    PASSING = (ConnectionError, TimeoutError, ClientError, BotoCoreError)

    def __init__(self, payments, dynamodb, sqs, table, failure_queue_url):
        self.payments, self.dynamodb, self.sqs = payments, dynamodb, sqs
        self.table, self.failure_queue_url = table, failure_queue_url

    def __call__(self, event, context):
        to_store = {}  # order id -> (sequence number, order), first record of each
        retry_from = None
        for record in event["Records"]:
            number = record["kinesis"]["sequenceNumber"]
            if context.get_remaining_time_in_millis() < 1000 * TIME_TO_STOP_S:
                retry_from = number
                break
            order = json.loads(base64.b64decode(record["kinesis"]["data"]).decode("utf-8"))
            try:
                if self.charge(order):
                    to_store.setdefault(order["order_id"], (number, order))
            except self.PASSING:
                retry_from = number
                break
        unstored = self.store(list(to_store.values()))
        first = unstored if unstored is not None else retry_from
        return {"batchItemFailures": [] if first is None else [{"itemIdentifier": first}]}

    def charge(self, order):
        """True once charged; False if set aside (it can never be charged)."""
        try:
            self.payments.charge(order["order_id"], order["amount_cents"],
                                 idempotency_key=order["order_id"],
                                 timeout_s=PAYMENT_TIMEOUT_S)
            return True
        except ValueError as error:
            self.sqs.send_message(QueueUrl=self.failure_queue_url, MessageBody=json.dumps(
                {"order": order, "reason": str(error)}))
            return False

    def store(self, charged):
        """Store charged orders one request; the first sequence number not stored."""
        if not charged:
            return None
        writes = [{"PutRequest": {"Item": {
            "id": {"S": order["order_id"]}, "customer": {"S": order["customer"]},
            "amount_cents": {"N": str(order["amount_cents"])}}}} for _, order in charged]
        try:
            reply = self.dynamodb.batch_write_item(RequestItems={self.table: writes})
        except (ClientError, BotoCoreError):
            return charged[0][0]
        left = {w["PutRequest"]["Item"]["id"]["S"]
                for w in reply.get("UnprocessedItems", {}).get(self.table, [])}
        for number, order in charged:
            if order["order_id"] in left:
                return number
        return None


def make_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """The consumer: charge each order once, store it, set aside what can never succeed."""
    return OrderConsumer(payments, dynamodb, sqs, table, failure_queue_url)
''',
    'alarms': '''def alarms(period):
    """The alarms this period's metrics raise: symptoms, not causes."""
    share = period.acked / period.offered if period.offered else 1.0
    checks = (("freshness", period.iterator_age_s > FRESHNESS_OBJECTIVE_S),
              ("failures", bool(period.failure_queue_depth)),
              ("availability", share < AVAILABILITY_OBJECTIVE))
    return [name for name, breached in checks if breached]
''',
}
