"""The consumer reports a poison order for retry, as if its failure might pass."""

BELIEVED = "Every failed record should be reported, so that Lambda tries it again."
VIOLATES = ["3.3"]

EDITS = {
    'make_handler': [
        ("            except ValueError as error:\n                try:\n"
         "                    sqs.send_message(QueueUrl=failure_queue_url, "
         "MessageBody=json.dumps(\n"
         '                        {"order": order, "reason": str(error)}))\n'
         "                except (ClientError, BotoCoreError):\n"
         "                    stopped_at = number\n                    break\n"
         "            except (ConnectionError, TimeoutError):\n",
         "            except (ValueError, ConnectionError, TimeoutError):\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_charges_stores_and_sets_aside': 'the poison o-00002 not at all',
    'test_recovery': 'the consumer is not catching up',
}
