"""The consumer raises on a failed charge instead of reporting the record: the batch is redone."""

BELIEVED = "Raising is how a Lambda function says a batch failed."
VIOLATES = ["3.5"]

EDITS = {
    'make_handler': [
        ("            except (ConnectionError, TimeoutError):\n"
         "                stopped_at = number\n"
         "                break\n",
         "            except (ConnectionError, TimeoutError):\n                raise\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'the handler raised',
}
