"""The consumer carries on past a failed record and reports only the last one that failed."""

BELIEVED = "Lambda retries from the failure I report, and the latest one is the one that counts."
VIOLATES = ["3.5"]

EDITS = {
    'make_handler': [
        ("            except (ConnectionError, TimeoutError):\n"
         "                stopped_at = number\n"
         "                break\n",
         "            except (ConnectionError, TimeoutError):\n"
         "                stopped_at = number\n"),
    ],
}

EXPECTED_FAILURES = {
    'test_handler_everywhere': 'the table holds',
    'test_nothing_lost': 'it reached the stream but was never stored nor set aside',
}
