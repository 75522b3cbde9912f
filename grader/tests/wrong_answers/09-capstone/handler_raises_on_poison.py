"""The consumer lets a poison order's ValueError escape: the whole batch fails, again and again."""

BELIEVED = "Lambda's retries will get a failed order through in the end."
VIOLATES = ["3.3"]

EDITS = {
    'make_handler': [
        ("            except ValueError as error:\n                try:\n"
         "                    sqs.send_message(QueueUrl=failure_queue_url, "
         "MessageBody=json.dumps(\n"
         '                        {"order": order, "reason": str(error)}))\n'
         "                except (ClientError, BotoCoreError):\n"
         "                    stopped_at = number\n                    break\n", ""),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_charges_stores_and_sets_aside': 'the handler raised ValueError',
    'test_recovery': 'the consumer is not catching up',
}
